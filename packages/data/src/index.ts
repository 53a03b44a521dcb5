/**
 * Lazy dataset pipelines, splits, augmentation and text tools.
 *
 * @packageDocumentation
 */
export { Dataset } from './dataset/dataset.js';
export type {
  MapContext,
  MapOptions,
  FilterOptions,
  BatchOptions,
  ShuffleOptions,
  InterleaveOptions,
  IgnoreErrorsOptions,
  IterateOptions,
  ForEachOptions,
  DatasetFromOptions,
  ElementOf,
} from './dataset/dataset.js';
export type { Batched, Unbatched, TypedArray } from './dataset/batched.js';

export { randomSplit } from './splits/random-split.js';
export { stratifiedSplit } from './splits/stratified-split.js';
export { kFold, stratifiedKFold } from './splits/k-fold.js';
export type { Fold } from './splits/k-fold.js';
export type { Split, SplitSizes, SplitOptions } from './splits/split-sizes.js';
export { select, applySplit } from './splits/apply-split.js';
export type { Selectable, Selected } from './splits/apply-split.js';

export { Vocabulary } from './text/vocabulary.js';
export type { SpecialTokens, VocabularyOptions, BuildVocabularyOptions, VocabularyJSON } from './text/vocabulary.js';
export type { Tokenizer, EncodeOptions, DecodeOptions } from './text/tokenizer.js';
export { CharTokenizer } from './text/char-tokenizer.js';
export type { CharTokenizerFitOptions, CharTokenizerJSON } from './text/char-tokenizer.js';
export { WordTokenizer } from './text/word-tokenizer.js';
export type { WordTokenizerOptions, WordTokenizerFitOptions, WordTokenizerJSON } from './text/word-tokenizer.js';
export { BpeTokenizer } from './text/bpe-tokenizer.js';
export type { BpeTrainOptions, BpeTokenizerJSON } from './text/bpe-tokenizer.js';

export * as augment from './augment/index.js';

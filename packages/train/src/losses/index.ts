/**
 * Losses: each factory takes its options and returns a {@link Loss}, a function of
 * `(yTrue, yPred, sampleWeight?)` with its `lossName`. All are numerically stable (log-sum-exp and
 * softplus forms for logits), reduce by `'mean'`, `'sum'` or `'none'`, and take per-sample weights.
 *
 * @example
 * ```ts
 * import { losses } from '@tensorloom/train';
 * const loss = losses.sparseCategoricalCrossentropy({ fromLogits: true });
 * ```
 *
 * @module
 */
export type { Loss, Reduction } from './loss.js';
export type { BaseLossOptions } from './reduce.js';
export { meanSquaredError } from './mean-squared-error.js';
export type { MeanSquaredErrorOptions } from './mean-squared-error.js';
export { meanAbsoluteError } from './mean-absolute-error.js';
export type { MeanAbsoluteErrorOptions } from './mean-absolute-error.js';
export { huber } from './huber.js';
export type { HuberOptions } from './huber.js';
export { logCosh } from './log-cosh.js';
export type { LogCoshOptions } from './log-cosh.js';
export { binaryCrossentropy } from './binary-crossentropy.js';
export type { BinaryCrossentropyOptions } from './binary-crossentropy.js';
export { categoricalCrossentropy } from './categorical-crossentropy.js';
export type { CategoricalCrossentropyOptions } from './categorical-crossentropy.js';
export { sparseCategoricalCrossentropy } from './sparse-categorical-crossentropy.js';
export type { SparseCategoricalCrossentropyOptions } from './sparse-categorical-crossentropy.js';
export { klDivergence } from './kl-divergence.js';
export type { KlDivergenceOptions } from './kl-divergence.js';
export { cosineSimilarity } from './cosine-similarity.js';
export type { CosineSimilarityOptions } from './cosine-similarity.js';
export { hinge, squaredHinge } from './hinge.js';
export type { HingeOptions } from './hinge.js';
export { binaryFocalCrossentropy, categoricalFocalCrossentropy } from './focal.js';
export type { BinaryFocalCrossentropyOptions, CategoricalFocalCrossentropyOptions } from './focal.js';
export { dice } from './dice.js';
export { jaccard } from './jaccard.js';
export { tversky } from './tversky.js';
export type { OverlapOptions } from './overlap.js';
export type { TverskyOptions } from './tversky.js';

import type { MetricOptions } from '../metric.js';

/**
 * One token sequence: an array of tokens (strings or token ids).
 *
 * @example
 * ```ts
 * const words: TokenSequence = ['the', 'cat', 'sat'];
 * const ids: TokenSequence = [12, 7, 99];
 * ```
 *
 * @group Text and sequences
 */
export type TokenSequence = readonly (string | number)[];

/**
 * A batch of sequences for the text metrics, in one of these forms:
 * - a string: a batch of one sentence;
 * - an array of numbers: a batch of one token-id sequence;
 * - an array of strings and/or token arrays: one entry per sentence.
 * Strings are split into characters (CER, edit distance) or on whitespace (WER, PER, BLEU);
 * token arrays are used as they are. To pass one sequence of word tokens, wrap it:
 * `[['the', 'cat']]` (a bare `['the', 'cat']` is two sentences).
 *
 * @example
 * ```ts
 * const refs: TextBatch = ['the cat sat', 'a dog'];
 * const ids: TextBatch = [[3, 4, 5], [6, 7]];
 * ```
 *
 * @group Text and sequences
 */
export type TextBatch = string | readonly number[] | readonly (string | TokenSequence)[];

/**
 * Options of the error-rate metrics {@link cer}, {@link wer} and {@link per}.
 *
 * @example
 * ```ts
 * wer({ name: 'val_wer' });
 * ```
 *
 * @group Text and sequences
 */
export interface ErrorRateOptions extends MetricOptions {
  /** The result when the references hold no tokens at all (0/0). Default NaN. */
  zeroDivision?: number;
}

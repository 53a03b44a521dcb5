import type { Vocabulary } from './vocabulary.js';

/**
 * Options of a tokenizer's `encode`.
 *
 * @example
 * ```ts
 * tokenizer.encode('hello', { addStart: true, addEnd: true });
 * ```
 *
 * @group Text
 */
export interface EncodeOptions {
  /** Prepend the start token (id 2). Default `false`. */
  addStart?: boolean;
  /** Append the end token (id 3). Default `false`. */
  addEnd?: boolean;
}

/**
 * Options of a tokenizer's `decode`.
 *
 * @example
 * ```ts
 * tokenizer.decode(ids, { skipSpecial: false }); // shows <unk>, <pad>, ...
 * ```
 *
 * @group Text
 */
export interface DecodeOptions {
  /** Leave out the special tokens (pad, unknown, start, end). Default `true`. */
  skipSpecial?: boolean;
}

/**
 * What every tokenizer does: text to tokens to ids and back.
 *
 * @example
 * ```ts
 * function lengths(t: Tokenizer, texts: string[]): number[] {
 *   return texts.map((s) => t.encode(s).length);
 * }
 * ```
 *
 * @group Text
 */
export interface Tokenizer {
  /** The token ↔ id map. */
  readonly vocabulary: Vocabulary;
  /** Splits text into tokens (strings). */
  tokenize(text: string): string[];
  /** Text to ids (an `Int32Array`, ready for `Dataset.batch` padding). */
  encode(text: string, options?: EncodeOptions): Int32Array;
  /** Ids back to text. */
  decode(ids: ArrayLike<number> | Iterable<number>, options?: DecodeOptions): string;
}

export function withMarkers(ids: readonly number[], options: EncodeOptions): Int32Array {
  const start = options.addStart ? 1 : 0;
  const out = new Int32Array(ids.length + start + (options.addEnd ? 1 : 0));
  if (options.addStart) out[0] = 2;
  out.set(ids, start);
  if (options.addEnd) out[out.length - 1] = 3;
  return out;
}

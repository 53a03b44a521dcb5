// SpamAssassin messages (subject line and body) as token ids, with a word or BPE tokenizer, and
// batches padded to their own longest message.
import { tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { BpeTokenizer, WordTokenizer } from '@tensorloom/data';
import type { Tokenizer } from '@tensorloom/data';
import { spamAssassin } from '@tensorloom/datasets';
import type { SpamMessage } from '@tensorloom/datasets';
import type { EpochContext } from '@tensorloom/train';

/** Tokenizers the `--tokenizer` flag accepts. */
export const TOKENIZERS = ['word', 'bpe'] as const;
/** A `--tokenizer` value. */
export type TokenizerKind = (typeof TOKENIZERS)[number];

/** The splits of a spam run: 10 % of train held out for validation, the loader's test split untouched. */
export interface SpamData {
  train: SpamMessage[];
  validation: SpamMessage[];
  test: SpamMessage[];
}

/** Loads the documented split with the `Subject` header kept in front of the body. */
export async function loadSpam(limit?: number): Promise<SpamData> {
  const sets = await spamAssassin.load({ headers: ['Subject'], validationFraction: 0.1, ...(limit === undefined ? {} : { limit }) });
  return { train: sets.train, validation: sets.validation!, test: sets.test };
}

/** Fits the tokenizer on the training messages only (the test split never shapes the vocabulary). */
export function fitTokenizer(kind: TokenizerKind, texts: readonly string[], vocabSize: number): Tokenizer {
  return kind === 'word'
    ? WordTokenizer.fit(texts, { lowercase: true, minFrequency: 2, maxSize: vocabSize })
    : BpeTokenizer.train(texts, { vocabSize, lowercase: true });
}

/** Rebuilds a tokenizer from its JSON form (as the run folder keeps it). */
export function tokenizerFromJSON(json: unknown): Tokenizer {
  return (json as { type?: string }).type === 'word' ? WordTokenizer.fromJSON(json) : BpeTokenizer.fromJSON(json);
}

/** Token ids of each message, cut to its first `maxLen` tokens (not padded: batches pad to their own longest). */
export function encodeMessages(tokenizer: Tokenizer, messages: readonly { text: string }[], maxLen: number): Int32Array[] {
  return messages.map((m) => tokenizer.encode(m.text).slice(0, maxLen));
}

/**
 * Batch widths are multiples of this many tokens (capped at `maxLen`): with the default
 * `maxLen` 256 there are at most 8 widths, so the native backend builds few sessions (a fused
 * recurrent session is one per length and keeps memory per time step).
 */
export const WIDTH_STEP = 32;

/** The width a batch whose longest row has `longest` tokens is padded to. */
export function batchWidth(longest: number, maxLen: number): number {
  return Math.min(maxLen, Math.max(WIDTH_STEP, Math.ceil(longest / WIDTH_STEP) * WIDTH_STEP));
}

/** Rows of ids padded after with id 0 to `width`: `[rows, width]` int32. */
export function padRows(rows: readonly Int32Array[], width: number): tf.Tensor2D {
  const flat = new Int32Array(rows.length * width);
  rows.forEach((r, i) => flat.set(r.length > width ? r.subarray(0, width) : r, i * width));
  return tf.tensor2d(flat, [rows.length, width], 'int32');
}

/** A batch: ids `[b, width]` int32 (width: the batch's longest message, rounded up to {@link WIDTH_STEP}) and labels `[b]` int32 (1 = spam). */
export interface SpamBatch {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
}

/** Messages sorted into pools of this many batches, so a batch holds messages of similar lengths. */
export const POOL_BATCHES = 16;

/**
 * Indices of the messages, cut into batches. With `rng` (training): shuffled, then each pool of
 * {@link POOL_BATCHES} batches is sorted by length and cut into batches, and the batches are
 * shuffled — every batch a random draw of similar lengths, so little padding. Without (validation,
 * test): sorted by length, the least padding (the figures do not depend on the order).
 */
export function batchOrder(lengths: readonly number[], batchSize: number, rng?: Rng): number[][] {
  const all = Array.from(lengths, (_, i) => i);
  const byLength = (a: number, b: number): number => lengths[a]! - lengths[b]! || a - b;
  const cut = (order: number[]): number[][] => {
    const out: number[][] = [];
    for (let start = 0; start < order.length; start += batchSize) out.push(order.slice(start, start + batchSize));
    return out;
  };
  if (rng === undefined) return cut(all.sort(byLength));
  const shuffled = rng.shuffle(all);
  const pool = batchSize * POOL_BATCHES;
  const batches: number[][] = [];
  for (let start = 0; start < shuffled.length; start += pool) batches.push(...cut(shuffled.slice(start, start + pool).sort(byLength)));
  return rng.shuffle(batches);
}

/**
 * Batches for fit (`batchShapes: 'varying'`), made one at a time (fit disposes them), each padded
 * to its own longest message rounded up to {@link WIDTH_STEP}; see {@link batchOrder}.
 */
export function spamBatches(rows: readonly Int32Array[], labels: readonly number[], maxLen: number, batchSize: number, shuffle: boolean): (ctx: EpochContext) => Iterable<SpamBatch> {
  const lengths = rows.map((r) => r.length);
  return function* ({ rng }) {
    for (const batch of batchOrder(lengths, batchSize, shuffle ? rng : undefined)) {
      const x = padRows(batch.map((i) => rows[i]!), batchWidth(Math.max(...batch.map((i) => lengths[i]!)), maxLen));
      yield { x, y: tf.tensor1d(batch.map((i) => labels[i]!), 'int32') };
    }
  };
}

// SpamAssassin messages (subject line and body) as padded token ids, with a word or BPE tokenizer.
import type { tf } from '@tensorloom/core';
import { BpeTokenizer, Dataset, WordTokenizer, augment } from '@tensorloom/data';
import type { Tokenizer } from '@tensorloom/data';
import { spamAssassin } from '@tensorloom/datasets';
import type { SpamMessage } from '@tensorloom/datasets';

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

/** Token ids of each message, cut to its first `maxLen` tokens and padded after with id 0: `[n, maxLen]`. */
export function encodeMessages(tokenizer: Tokenizer, messages: readonly { text: string }[], maxLen: number): Int32Array {
  return augment.padSequences(
    messages.map((m) => tokenizer.encode(m.text)),
    { maxLen, padding: 'post', truncating: 'post' },
  ).ids;
}

/** A batch: ids `[b, maxLen]` int32 and labels `[b]` int32 (1 = spam). */
export interface SpamBatch {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
}

/** Batches of encoded messages (`{ x, y }`), reshuffled every epoch when `seed` is given. */
export function spamBatches(ids: Int32Array, labels: readonly number[], maxLen: number, batchSize: number, seed?: number): Dataset<SpamBatch> {
  const rows = Array.from(labels, (y, i) => ({ x: ids.subarray(i * maxLen, (i + 1) * maxLen), y }));
  const source = seed === undefined ? Dataset.from(rows) : Dataset.from(rows).shuffle(rows.length, { seed });
  return source.batch(batchSize, { numberDtype: 'int32' }) as Dataset<SpamBatch>;
}

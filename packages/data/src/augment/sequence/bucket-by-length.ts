import { ConfigError, describeValue, intInRange } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';

/**
 * Options of {@link bucketByLength}.
 *
 * @example
 * ```ts
 * const batches = augment.bucketByLength(sentences, { boundaries: [8, 16, 32], batchSize: 32 }, rng(1));
 * const tensors = batches.map((b) => augment.padSequencesTensor(b, { padding: 'post' }));
 * ```
 */
export interface BucketByLengthConfig<T> {
  /**
   * Bucket boundaries, strictly increasing integers ≥ 1. `k` boundaries make `k + 1`
   * buckets: lengths `< b[0]`, `[b[0], b[1])`, …, `≥ b[k-1]` (as `tf.data`'s
   * `bucket_by_sequence_length`).
   */
  boundaries: readonly number[];
  /** Batch size: one for every bucket, or one per bucket (`k + 1` entries). Positive integers. */
  batchSize: number | readonly number[];
  /** The length of an item. Default: its `length` property (arrays, typed arrays, strings). */
  length?: (item: T) => number;
  /** Drop each bucket's last batch when it is smaller than the batch size. Default `false`. */
  dropRemainder?: boolean;
}

/**
 * Groups items of similar length into batches, so padding each batch wastes little.
 *
 * Items go to buckets by length; with an `rng`, each bucket is shuffled, cut into batches,
 * and the batches of all buckets are shuffled together (one seeded, reproducible order per
 * call — pass `rng.fold(epoch)` for a new order each epoch). Without an `rng`, items keep
 * their input order and batches come bucket by bucket, shortest first. Every batch holds
 * items of one bucket only. Pad a batch with {@link padSequences}.
 *
 * A pure function: it reads the whole iterable and returns the batches; it does not change
 * the items.
 *
 * @param items - the items (token id lists, or records with a `length` function).
 * @param config - boundaries, batch sizes, the length function, remainder handling.
 * @param rng - generator for the shuffles; omit for a deterministic order.
 * @returns the batches, each a non-empty array of items.
 * @throws {@link @tensorloom/core!ConfigError} for bad boundaries or batch sizes, or an item whose length is not an integer ≥ 0.
 * @example
 * ```ts
 * const batches = augment.bucketByLength(sentences, { boundaries: [8, 16, 32], batchSize: 32 }, rng(1));
 * const tensors = batches.map((b) => augment.padSequencesTensor(b, { padding: 'post' }));
 * ```
 */
export function bucketByLength<T>(items: Iterable<T>, config: BucketByLengthConfig<T>, rng?: Rng): T[][] {
  const unit = 'bucketByLength';
  const boundaries = config.boundaries;
  if (
    !Array.isArray(boundaries) ||
    !boundaries.every((b, i) => Number.isInteger(b) && b >= 1 && (i === 0 || b > (boundaries[i - 1] as number)))
  ) {
    throw new ConfigError(
      `${unit}: boundaries expected a list of strictly increasing integers >= 1, got ${describeValue(boundaries)}`,
    );
  }
  const buckets = boundaries.length + 1;
  const sizes =
    typeof config.batchSize === 'number'
      ? Array.from({ length: buckets }, () => intInRange(unit, 'batchSize', config.batchSize, 1))
      : batchSizes(unit, config.batchSize, buckets);
  const lengthOf = config.length ?? ((item: T) => (item as { length?: unknown }).length as number);
  const groups: T[][] = Array.from({ length: buckets }, () => []);
  let index = 0;
  for (const item of items) {
    const len = lengthOf(item);
    if (typeof len !== 'number' || !Number.isInteger(len) || len < 0) {
      throw new ConfigError(`${unit}: length of item ${index} expected an integer >= 0, got ${describeValue(len)}`, {
        help: 'pass { length: (item) => ... } for items without a length property',
      });
    }
    let b = 0;
    while (b < boundaries.length && len >= (boundaries[b] as number)) b++;
    (groups[b] as T[]).push(item);
    index++;
  }
  const batches: T[][] = [];
  groups.forEach((group, b) => {
    if (rng !== undefined) rng.shuffle(group);
    const size = sizes[b] as number;
    for (let start = 0; start < group.length; start += size) {
      const batch = group.slice(start, start + size);
      if (batch.length < size && config.dropRemainder) continue;
      batches.push(batch);
    }
  });
  if (rng !== undefined) rng.shuffle(batches);
  return batches;
}

function batchSizes(unit: string, value: unknown, buckets: number): number[] {
  if (
    !Array.isArray(value) ||
    value.length !== buckets ||
    !value.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 1)
  ) {
    throw new ConfigError(
      `${unit}: batchSize expected an integer >= 1 or a list of ${buckets} of them (one per bucket), got ${describeValue(value)}`,
    );
  }
  return [...value];
}

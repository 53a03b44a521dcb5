import { describe, expect, it } from 'vitest';
import { rng } from '@tensorloom/core';
import { bucketByLength } from './bucket-by-length.js';

/** Sequences of lengths 1…30, each filled with its own index so items are distinguishable. */
const items = Array.from({ length: 30 }, (_, i) => new Array<number>(1 + ((i * 7) % 30)).fill(i));

describe('bucketByLength', () => {
  it('puts every item in exactly one batch of one bucket ([<5], [5, 10), [10, 20), [≥20])', () => {
    const batches = bucketByLength(items, { boundaries: [5, 10, 20], batchSize: 4 }, rng(1));
    const seen = batches.flat().map((s) => s[0] as number).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i));
    const bucketOf = (len: number): number => (len < 5 ? 0 : len < 10 ? 1 : len < 20 ? 2 : 3);
    for (const batch of batches) {
      expect(batch.length).toBeGreaterThan(0);
      expect(batch.length).toBeLessThanOrEqual(4);
      expect(new Set(batch.map((s) => bucketOf(s.length))).size).toBe(1);
    }
    // Bucket sizes 4, 5, 10, 11 → 1 + 2 + 3 + 3 = 9 batches of at most 4.
    expect(batches.length).toBe(9);
  });

  it('is reproducible with a seed, differs across seeds, and keeps input order without one', () => {
    const config = { boundaries: [10, 20], batchSize: 3 };
    const key = (bs: number[][][]): string => bs.map((b) => b.map((s) => s[0]).join(',')).join('|');
    expect(key(bucketByLength(items, config, rng(1)))).toBe(key(bucketByLength(items, config, rng(1))));
    expect(key(bucketByLength(items, config, rng(1)))).not.toBe(key(bucketByLength(items, config, rng(2))));
    const ordered = bucketByLength(items, config);
    // Without an rng: bucket 0 (lengths < 10) first, items in input order.
    const firstBucket = items.filter((s) => s.length < 10).map((s) => s[0]);
    expect(ordered.slice(0, 3).flat().map((s) => s[0])).toEqual(firstBucket);
  });

  it('takes per-bucket batch sizes, a length function, and drops short batches on request', () => {
    const records = items.map((tokens, id) => ({ id, tokens }));
    const batches = bucketByLength(
      records,
      { boundaries: [15], batchSize: [4, 8], length: (r) => r.tokens.length, dropRemainder: true },
      rng(3),
    );
    // 14 short (→ 3 batches of 4, 2 dropped), 16 long (→ 2 batches of 8).
    expect(batches.map((b) => b.length).sort()).toEqual([4, 4, 4, 8, 8]);
  });

  it('checks its configuration and item lengths', () => {
    expect(() => bucketByLength(items, { boundaries: [5, 5], batchSize: 2 })).toThrow(
      'bucketByLength: boundaries expected a list of strictly increasing integers >= 1, got [5, 5]',
    );
    expect(() => bucketByLength(items, { boundaries: [5], batchSize: [2] })).toThrow(
      'bucketByLength: batchSize expected an integer >= 1 or a list of 2 of them (one per bucket), got [2]',
    );
    expect(() => bucketByLength(items, { boundaries: [5], batchSize: 0 })).toThrow(
      'bucketByLength: batchSize expected an integer >= 1, got 0',
    );
    expect(() => bucketByLength([{ a: 1 }], { boundaries: [5], batchSize: 2 })).toThrow(
      'bucketByLength: length of item 0 expected an integer >= 0, got undefined',
    );
  });
});

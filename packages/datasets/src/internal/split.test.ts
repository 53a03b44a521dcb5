import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './split.js';

// 3 groups of sizes 10, 7, 5, items interleaved.
const groups = Int32Array.from([0, 1, 2, 0, 0, 1, 2, 0, 1, 0, 2, 0, 1, 0, 0, 1, 0, 0, 1, 2, 1, 2]);
const sizes = [0, 1, 2].map((g) => groups.filter((x) => x === g).length);

function countBy(indices: Int32Array): number[] {
  const c = [0, 0, 0];
  for (const i of indices) c[groups[i] as number]++;
  return c;
}

describe('stratifiedSplit', () => {
  it('gives test n - round(n * trainFraction) items, each group its share rounded down or up', () => {
    expect(sizes).toEqual([10, 7, 5]);
    const s = stratifiedSplit(groups, { seed: 0, trainFraction: 0.7, validationFraction: 0 });
    // test = 22 - round(15.4) = 7; exact shares 10·7/22 = 3.18, 7·7/22 = 2.23, 5·7/22 = 1.59:
    // floors 3, 2, 1 and the one left over to the largest remainder (group 2).
    expect(countBy(s.test)).toEqual([3, 2, 2]);
    expect(countBy(s.train)).toEqual([7, 5, 3]);
    expect(s.validation.length).toBe(0);
  });

  it('partitions the items: every index exactly once', () => {
    const s = stratifiedSplit(groups, { seed: 3, trainFraction: 0.6, validationFraction: 0.3 });
    const all = [...s.train, ...s.validation, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: groups.length }, (_, i) => i));
    // test = 22 - round(13.2) = 9, shares 4.09, 2.86, 2.05 → 4, 3, 2; train part 6, 4, 3.
    expect(countBy(s.test)).toEqual([4, 3, 2]);
    // validation = round(13 * 0.3) = 4, shares 1.85, 1.23, 0.92 → 2, 1, 1.
    expect(countBy(s.validation)).toEqual([2, 1, 1]);
    expect(countBy(s.train)).toEqual([4, 3, 2]);
  });

  it('is deterministic for a seed and changes with it', () => {
    const plan = { seed: 11, trainFraction: 0.5, validationFraction: 0 };
    const a = stratifiedSplit(groups, plan);
    const b = stratifiedSplit(groups, plan);
    expect(Array.from(a.train)).toEqual(Array.from(b.train));
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    const c = stratifiedSplit(groups, { ...plan, seed: 12 });
    expect(Array.from(c.train)).not.toEqual(Array.from(a.train));
  });

  it('keeps the test split (content and order) when validation is carved out', () => {
    const a = stratifiedSplit(groups, { seed: 5, trainFraction: 0.6, validationFraction: 0 });
    const b = stratifiedSplit(groups, { seed: 5, trainFraction: 0.6, validationFraction: 0.5 });
    expect(Array.from(b.test)).toEqual(Array.from(a.test));
    expect([...b.train, ...b.validation].sort((x, y) => x - y)).toEqual([...a.train].sort((x, y) => x - y));
  });

  it('shuffles the splits (not grouped by class)', () => {
    const many = Int32Array.from({ length: 400 }, (_, i) => Math.floor(i / 100));
    const s = stratifiedSplit(many, { seed: 0, trainFraction: 0.5, validationFraction: 0 });
    const firstTwenty = new Set(Array.from(s.train.subarray(0, 20), (i) => many[i]));
    expect(firstTwenty.size).toBeGreaterThan(1);
  });
});

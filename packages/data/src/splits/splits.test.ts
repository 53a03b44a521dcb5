import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { applySplit, select } from './apply-split.js';
import { apportion } from './internal/apportion.js';
import { kFold, stratifiedKFold } from './k-fold.js';
import { randomSplit } from './random-split.js';
import { stratifiedSplit } from './stratified-split.js';
import type { Split } from './split-sizes.js';

function isAscending(a: Int32Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i]! <= a[i - 1]!) return false;
  return true;
}

function expectPartition(parts: Int32Array[], n: number, covers: boolean): void {
  const seen = new Uint8Array(n);
  for (const p of parts) {
    expect(isAscending(p)).toBe(true);
    for (const i of p) {
      expect(seen[i]).toBe(0);
      seen[i] = 1;
    }
  }
  if (covers) expect(seen.every((v) => v === 1)).toBe(true);
}

/** Imbalanced labels: 900 'a', 90 'b', 9 'c', 1 'd', interleaved in a fixed order. */
function imbalanced(): string[] {
  const labels = [...Array(900).fill('a'), ...Array(90).fill('b'), ...Array(9).fill('c'), 'd'];
  return rng(123).shuffle(labels);
}

function countByClass(labels: readonly string[], indices: Int32Array): Map<string, number> {
  const out = new Map<string, number>();
  for (const i of indices) out.set(labels[i]!, (out.get(labels[i]!) ?? 0) + 1);
  return out;
}

describe('randomSplit', () => {
  it('splits by fractions, train taking the rest, as disjoint ascending index arrays', () => {
    const s = randomSplit(100, { validation: 0.1, test: 0.25 }, { seed: 1 });
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([65, 10, 25]);
    expectPartition([s.train, s.validation, s.test], 100, true);
  });

  it('splits by counts, leaving out what no part asks for', () => {
    const s = randomSplit(50, { train: 20, validation: 5 }, { seed: 2 });
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([20, 5, 0]);
    expectPartition([s.train, s.validation, s.test], 50, false);
  });

  it('apportions fractions together by largest remainder', () => {
    const s = randomSplit(3, { validation: 0.5, test: 0.5 }, { seed: 1 });
    expect([s.train.length, s.validation.length, s.test.length]).toEqual([0, 2, 1]);
    const t = randomSplit(10, { train: 0.33, validation: 0.33, test: 0.34 }, { seed: 1 });
    expect([t.train.length, t.validation.length, t.test.length]).toEqual([3, 3, 4]);
  });

  it('is a function of the seed; an Rng seed is advanced', () => {
    const a = randomSplit(30, { test: 0.3 }, { seed: 5 });
    expect(randomSplit(30, { test: 0.3 }, { seed: 5 })).toEqual(a);
    expect(randomSplit(30, { test: 0.3 }, { seed: 6 }).test).not.toEqual(a.test);
    const r = rng(5);
    expect(randomSplit(30, { test: 0.3 }, { seed: r })).toEqual(a);
    expect(randomSplit(30, { test: 0.3 }, { seed: r }).test).not.toEqual(a.test);
  });

  it('rejects bad sizes and seeds', () => {
    expect(() => randomSplit(10, { test: 1.5 }, { seed: 1 })).toThrow(
      new ConfigError('randomSplit: sizes.test expected a fraction in (0, 1) or an integer count >= 0, got 1.5'),
    );
    expect(() => randomSplit(10, { validation: -0.1 }, { seed: 1 })).toThrow(
      'randomSplit: sizes.validation expected a fraction in (0, 1) or an integer count >= 0, got -0.1',
    );
    expect(() => randomSplit(10, { train: 8, test: 5 }, { seed: 1 })).toThrow(
      'randomSplit: sizes expected to add up to at most the 10 samples, got 13 (train 8, validation 0, test 5)',
    );
    expect(() => randomSplit(10, { test: 11 }, { seed: 1 })).toThrow(
      'randomSplit: sizes expected to add up to at most the 10 samples, got 11 (train 0, validation 0, test 11)',
    );
    expect(() => randomSplit(-1, {}, { seed: 1 })).toThrow('randomSplit: n expected an integer >= 0, got -1');
    expect(() => randomSplit(10, {}, { seed: 0.5 })).toThrow('randomSplit: seed expected an integer or an Rng, got 0.5');
  });
});

describe('stratifiedSplit', () => {
  it('keeps every class within one sample of its share in every part, on imbalanced labels', () => {
    const labels = imbalanced();
    for (const seed of [1, 2, 3]) {
      const s = stratifiedSplit(labels, { validation: 0.15, test: 0.1 }, { seed });
      const parts: (keyof Split)[] = ['train', 'validation', 'test'];
      expect(parts.map((p) => s[p].length)).toEqual([750, 150, 100]);
      expectPartition([s.train, s.validation, s.test], 1000, true);
      for (const p of parts) {
        const counts = countByClass(labels, s[p]);
        for (const [cls, m] of [['a', 900], ['b', 90], ['c', 9], ['d', 1]] as const) {
          const share = (m * s[p].length) / 1000; // the exact proportional share (float64)
          expect(Math.abs((counts.get(cls) ?? 0) - share)).toBeLessThan(1);
        }
      }
    }
  });

  it('works with numeric labels and varies with the seed', () => {
    const labels = Int32Array.from({ length: 40 }, (_, i) => (i < 30 ? 0 : 1));
    const a = stratifiedSplit(labels, { test: 0.25 }, { seed: 1 });
    const ones = Array.from(a.test).filter((i) => labels[i] === 1).length;
    expect(a.test.length).toBe(10);
    expect([2, 3]).toContain(ones); // share 10 · 10/40 = 2.5
    expect(stratifiedSplit(labels, { test: 0.25 }, { seed: 1 })).toEqual(a);
    expect(stratifiedSplit(labels, { test: 0.25 }, { seed: 2 }).test).not.toEqual(a.test);
  });

  it('rejects labels that are neither numbers nor strings', () => {
    expect(() => stratifiedSplit([1, null as unknown as number], { test: 1 }, { seed: 1 })).toThrow(
      'stratifiedSplit: labels[1] expected a number or string, got null',
    );
  });
});

describe('kFold and stratifiedKFold', () => {
  it('holds out every sample exactly once, in folds of ⌈n/k⌉ or ⌊n/k⌋', () => {
    const folds = kFold(23, 5, { seed: 1 });
    expect(folds.map((f) => f.validation.length)).toEqual([5, 5, 5, 4, 4]);
    expectPartition(
      folds.map((f) => f.validation),
      23,
      true,
    );
    for (const f of folds) {
      expect(f.train.length + f.validation.length).toBe(23);
      expectPartition([f.train, f.validation], 23, true);
    }
    expect(kFold(23, 5, { seed: 1 })).toEqual(folds);
  });

  it('spreads each class evenly over the folds, on imbalanced labels', () => {
    const labels = imbalanced();
    const folds = stratifiedKFold(labels, 7, { seed: 4 });
    expect(folds.map((f) => f.validation.length)).toEqual([143, 143, 143, 143, 143, 143, 142]);
    expectPartition(
      folds.map((f) => f.validation),
      1000,
      true,
    );
    for (const f of folds) {
      const counts = countByClass(labels, f.validation);
      for (const [cls, m] of [['a', 900], ['b', 90], ['c', 9], ['d', 1]] as const) {
        expect(Math.abs((counts.get(cls) ?? 0) - (m * f.validation.length) / 1000)).toBeLessThan(1);
      }
    }
  });

  it('rejects a bad k', () => {
    expect(() => kFold(10, 1, { seed: 1 })).toThrow(new ConfigError('kFold: k expected an integer >= 2, got 1'));
    expect(() => kFold(3, 4, { seed: 1 })).toThrow('kFold: k expected at most the number of samples 3, got 4');
    expect(() => stratifiedKFold([0, 1], 2.5, { seed: 1 })).toThrow('stratifiedKFold: k expected an integer >= 2, got 2.5');
  });
});

describe('apportion (controlled rounding)', () => {
  it('meets the row and column sums with every entry the floor or ceiling of its share', () => {
    const r = rng(99);
    for (let trial = 0; trial < 300; trial++) {
      const rows = Array.from({ length: 1 + r.int(8) }, () => r.int(20));
      const n = rows.reduce((a, b) => a + b, 0);
      const S = 1 + r.int(6);
      // random column sums adding up to n
      const cuts = Array.from({ length: S - 1 }, () => r.int(n + 1)).sort((a, b) => a - b);
      const cols = [...cuts, n].map((c, i) => c - (i === 0 ? 0 : [...cuts, n][i - 1]!));
      const out = apportion(rows, cols, r);
      rows.forEach((m, c) => expect(out[c]!.reduce((a, b) => a + b, 0)).toBe(m));
      cols.forEach((t, s) => expect(out.reduce((a, row) => a + row[s]!, 0)).toBe(t));
      rows.forEach((m, c) =>
        cols.forEach((t, s) => {
          const share = n === 0 ? 0 : (m * t) / n;
          expect(out[c]![s]).toBeGreaterThanOrEqual(Math.floor(share));
          expect(out[c]![s]).toBeLessThanOrEqual(Math.ceil(share));
        }),
      );
    }
  });
});

describe('select and applySplit', () => {
  it('selects from arrays, typed arrays and tensors', async () => {
    const idx = Int32Array.from([2, 0]);
    expect(select(['a', 'b', 'c'], idx)).toEqual(['c', 'a']);
    const typed = select(new Float32Array([1, 2, 3]), idx);
    expect(typed).toBeInstanceOf(Float32Array);
    expect(Array.from(typed)).toEqual([3, 1]);
    const x = tf.tensor2d([
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
    const picked = await expectNoLeaks(() => select(x, idx), 'select tensor');
    expect(picked.arraySync()).toEqual([
      [3, 3],
      [1, 1],
    ]);
    tf.dispose([x, picked]);
    expect(() => select([1, 2], [0, 2])).toThrow(new ConfigError('select: indices[1] expected an index in [0, 2), got 2'));
  });

  it('applies a split to parallel data', () => {
    const split = randomSplit(6, { test: 2 }, { seed: 3 });
    const xs = new Float32Array([0, 10, 20, 30, 40, 50]);
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const { train, test } = applySplit(split, { xs, names });
    expect(Array.from(test.xs)).toEqual(Array.from(split.test).map((i) => i * 10));
    expect(test.names).toEqual(Array.from(split.test).map((i) => names[i]));
    expect(train.xs.length).toBe(4);
    const fold = kFold(6, 3, { seed: 1 })[0]!;
    expect(applySplit(fold, { names }).validation.names).toHaveLength(2);
    expect(() => applySplit(split, { xs, names: ['a'] })).toThrow('applySplit: data.names expected length 6 like data.xs, got 1');
    expect(() => applySplit({ train: [7] }, { names })).toThrow('applySplit: split.train[0] expected an index in [0, 6), got 7');
  });
});

import { ConfigError } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';

/**
 * How large each part of a split is. Each size is a fraction in (0, 1) of the samples or a
 * count (an integer ≥ 0). `train` defaults to all samples the others leave; `validation`
 * and `test` default to 0.
 *
 * @example
 * ```ts
 * const sizes: SplitSizes = { validation: 0.1, test: 0.2 };     // train gets the other 70%
 * const counts: SplitSizes = { train: 5000, validation: 1000 };  // the rest is left out
 * ```
 *
 * @group Splits
 */
export interface SplitSizes {
  /** Training part: a fraction in (0, 1) or a count. Default: every sample not in the others. */
  train?: number;
  /** Validation part: a fraction in (0, 1) or a count. Default 0. */
  validation?: number;
  /** Test part: a fraction in (0, 1) or a count. Default 0. */
  test?: number;
}

/**
 * The indices of each part of a split, ascending; parts are disjoint.
 *
 * @example
 * ```ts
 * const { train, validation, test } = randomSplit(100, { validation: 0.1, test: 0.1 }, { seed: 1 });
 * train.length; // 80
 * ```
 *
 * @group Splits
 */
export interface Split {
  /** Indices of the training samples. */
  train: Int32Array;
  /** Indices of the validation samples (empty when none were asked for). */
  validation: Int32Array;
  /** Indices of the test samples (empty when none were asked for). */
  test: Int32Array;
}

/**
 * Options of the split functions.
 *
 * @example
 * ```ts
 * randomSplit(100, { test: 0.2 }, { seed: 42 });
 * randomSplit(100, { test: 0.2 }, { seed: rng(42).fold('split') });
 * ```
 *
 * @group Splits
 */
export interface SplitOptions {
  /** The seed, or a generator to draw from (it is advanced). */
  seed: number | Rng;
}

export const PARTS = ['train', 'validation', 'test'] as const;

/**
 * Resolves sizes to counts: `[train, validation, test, unused]`, summing to `n`. Fractions
 * are apportioned together by largest remainder (ties to the earlier part), so
 * `{ validation: 0.5, test: 0.5 }` of 3 samples is 2 + 1, never 2 + 2.
 *
 * @group Splits
 */
export function resolveSizes(unit: string, n: number, sizes: SplitSizes): [number, number, number, number] {
  const counts = [0, 0, 0];
  const fractions: { part: number; ideal: number }[] = [];
  let fixed = 0;
  PARTS.forEach((name, part) => {
    const v = sizes[name];
    if (v === undefined) return;
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0 || (v >= 1 && !Number.isInteger(v))) {
      throw new ConfigError(`${unit}: sizes.${name} expected a fraction in (0, 1) or an integer count >= 0, got ${String(v)}`);
    }
    if (v > 0 && v < 1) fractions.push({ part, ideal: v * n });
    else {
      counts[part] = v;
      fixed += v;
    }
  });
  const total = fractions.reduce((a, f) => a + f.ideal, 0);
  const target = Math.round(total);
  let assigned = 0;
  for (const f of fractions) {
    counts[f.part] = Math.floor(f.ideal);
    assigned += counts[f.part]!;
  }
  const byRemainder = fractions
    .map((f) => ({ part: f.part, r: f.ideal - Math.floor(f.ideal) }))
    .sort((a, b) => b.r - a.r || a.part - b.part);
  for (let i = 0; assigned < target && i < byRemainder.length; i++, assigned++) counts[byRemainder[i]!.part]!++;
  if (sizes.train === undefined) counts[0] = Math.max(0, n - counts[1]! - counts[2]!);
  const sum = counts[0]! + counts[1]! + counts[2]!;
  if (sum > n || fixed > n) {
    throw new ConfigError(
      `${unit}: sizes expected to add up to at most the ${n} samples, got ${sum} (train ${counts[0]}, validation ${counts[1]}, test ${counts[2]})`,
    );
  }
  return [counts[0]!, counts[1]!, counts[2]!, n - sum];
}

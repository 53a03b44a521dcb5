import { ConfigError, Rng, intInRange, rng } from '@tensorloom/core';

/** The generator a split draws from: a seed, or a caller's generator (advanced). */
export function toRng(unit: string, seed: number | Rng): Rng {
  if (seed instanceof Rng) return seed;
  if (!Number.isInteger(seed)) throw new ConfigError(`${unit}: seed expected an integer or an Rng, got ${String(seed)}`);
  return rng(seed);
}

export function checkSampleCount(unit: string, n: number): void {
  intInRange(unit, 'n', n, 0);
}

export function sortedIndices(values: readonly number[] | Int32Array): Int32Array {
  return Int32Array.from(values).sort();
}

/**
 * Groups sample indices by label, classes in order of first appearance.
 */
export function groupByLabel(unit: string, labels: ArrayLike<number | string>): { classes: (number | string)[]; members: number[][] } {
  const index = new Map<number | string, number>();
  const classes: (number | string)[] = [];
  const members: number[][] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (typeof label !== 'number' && typeof label !== 'string') {
      throw new ConfigError(`${unit}: labels[${i}] expected a number or string, got ${label === null ? 'null' : typeof label}`);
    }
    let c = index.get(label);
    if (c === undefined) {
      c = classes.length;
      index.set(label, c);
      classes.push(label);
      members.push([]);
    }
    members[c]!.push(i);
  }
  return { classes, members };
}

/** The sizes of `k` folds of `n` samples: the first `n % k` get one more. */
export function foldSizes(n: number, k: number): number[] {
  return Array.from({ length: k }, (_, f) => Math.floor(n / k) + (f < n % k ? 1 : 0));
}

export function checkFolds(unit: string, n: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new ConfigError(`${unit}: k expected an integer >= 2, got ${k}`);
  if (k > n) throw new ConfigError(`${unit}: k expected at most the number of samples ${n}, got ${k}`);
}

import { rng } from '@tensorloom/core';

/** Indices of the items in each split, in the split's (shuffled) order. */
export interface SplitIndices {
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

/** How a fixed split is drawn. */
export interface SplitPlan {
  /** Seed of the split; the same seed gives the same split. */
  seed: number;
  /** Fraction of each group that goes to train (validation included): `round(n * f)`. */
  trainFraction: number;
  /** Fraction of each group's train part moved to validation: `round(nTrain * f)`. */
  validationFraction: number;
}

/**
 * Splits items into train / validation / test, group by group (stratified), with core's
 * seeded `Rng`:
 *
 * 1. for each group `g` (ascending), its members in index order are permuted with
 *    `rng(seed).fold('group:g')`; the first `nTrain = round(n * trainFraction)` of the
 *    permutation form the train part, the rest go to test;
 * 2. the first `round(nTrain * validationFraction)` of the train part go to validation;
 * 3. each split (groups concatenated in ascending order) is shuffled with
 *    `rng(seed).fold('order:<split>')`.
 *
 * The test split therefore depends only on `seed` and `trainFraction`, never on
 * `validationFraction`, and every split is in a random order, so its prefixes are mixed.
 */
export function stratifiedSplit(groupOf: ArrayLike<number>, numGroups: number, plan: SplitPlan): SplitIndices {
  const members: number[][] = Array.from({ length: numGroups }, () => []);
  for (let i = 0; i < groupOf.length; i++) (members[groupOf[i] as number] as number[]).push(i);
  const root = rng(plan.seed);
  const train: number[] = [];
  const validation: number[] = [];
  const test: number[] = [];
  for (let g = 0; g < numGroups; g++) {
    const items = members[g] as number[];
    const perm = root.fold(`group:${g}`).permutation(items.length);
    const nTrain = Math.round(items.length * plan.trainFraction);
    const nValidation = Math.round(nTrain * plan.validationFraction);
    for (let k = 0; k < items.length; k++) {
      const item = items[perm[k] as number] as number;
      if (k < nValidation) validation.push(item);
      else if (k < nTrain) train.push(item);
      else test.push(item);
    }
  }
  const order = (name: string, items: number[]): Int32Array => {
    const perm = root.fold(`order:${name}`).permutation(items.length);
    const out = new Int32Array(items.length);
    for (let k = 0; k < items.length; k++) out[k] = items[perm[k] as number] as number;
    return out;
  };
  return { train: order('train', train), validation: order('validation', validation), test: order('test', test) };
}

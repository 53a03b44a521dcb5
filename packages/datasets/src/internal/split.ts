import { rng } from '@tensorloom/core';
import { stratifiedSplit as stratifiedIndices } from '@tensorloom/data';

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
  /** Share of the items that goes to train (validation included): `round(n * f)` items. */
  trainFraction: number;
  /** Share of the train part moved to validation: `round(nTrain * f)` items. */
  validationFraction: number;
}

/**
 * Splits items into train / validation / test, stratified by group, with
 * `@tensorloom/data`'s `stratifiedSplit` (controlled rounding: every group gets its exact
 * share rounded down or up, the parts get exactly the sizes asked for):
 *
 * 1. test takes `n - round(n * trainFraction)` items, drawn with `rng(seed).fold('test')`;
 * 2. validation takes `round(nTrain * validationFraction)` of the train part, drawn with
 *    `rng(seed).fold('validation')`;
 * 3. each split is shuffled with `rng(seed).fold('order:<split>')`.
 *
 * The test split (members and order) therefore depends only on `seed` and
 * `trainFraction`, never on `validationFraction`, and every split is in a random order, so
 * its prefixes mix the groups.
 */
export function stratifiedSplit(groupOf: ArrayLike<number>, plan: SplitPlan): SplitIndices {
  const n = groupOf.length;
  const root = rng(plan.seed);
  const first = stratifiedIndices(groupOf, { test: n - Math.round(n * plan.trainFraction) }, { seed: root.fold('test') });
  const trainPart = first.train;
  const trainGroups = Int32Array.from(trainPart, (i) => groupOf[i] as number);
  const second = stratifiedIndices(
    trainGroups,
    { validation: Math.round(trainPart.length * plan.validationFraction) },
    { seed: root.fold('validation') },
  );
  const order = (name: string, items: ArrayLike<number>): Int32Array => {
    const perm = root.fold(`order:${name}`).permutation(items.length);
    return Int32Array.from(perm, (k) => items[k] as number);
  };
  return {
    train: order('train', Int32Array.from(second.train, (k) => trainPart[k] as number)),
    validation: order('validation', Int32Array.from(second.validation, (k) => trainPart[k] as number)),
    test: order('test', first.test),
  };
}

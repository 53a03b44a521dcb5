import { apportion } from './internal/apportion.js';
import { groupByLabel, sortedIndices, toRng } from './internal/common.js';
import { resolveSizes } from './split-sizes.js';
import type { Split, SplitOptions, SplitSizes } from './split-sizes.js';

/**
 * Splits samples into train, validation and test indices keeping each class's share: a
 * class of `m` samples gets, in a part of `p` samples, `m·p/n` rounded down or up — within
 * one sample of its exact share — while the parts have exactly the sizes asked for
 * (controlled rounding). Which samples of a class go where is random.
 *
 * @param labels - one class label (number or string) per sample.
 * @param sizes - each part as a fraction in (0, 1) or a count; train defaults to the rest.
 * @param options - the seed (or an `Rng`, which is advanced).
 * @returns ascending, disjoint index arrays.
 * @throws `ConfigError` when a size is invalid, the sizes add up to more than the number
 *   of samples, or a label is neither a number nor a string.
 * @example
 * ```ts
 * const split = stratifiedSplit(labels, { validation: 0.2 }, { seed: 7 });
 * // a class with 1% of the samples has 1% (±1 sample) of the validation set
 * ```
 *
 * @group Splits
 */
export function stratifiedSplit(labels: ArrayLike<number | string>, sizes: SplitSizes, options: SplitOptions): Split {
  const unit = 'stratifiedSplit';
  const n = labels.length;
  const totals = resolveSizes(unit, n, sizes);
  const { members } = groupByLabel(unit, labels);
  const r = toRng(unit, options.seed);
  const counts = apportion(
    members.map((m) => m.length),
    totals,
    r,
  );
  const parts: number[][] = [[], [], [], []];
  members.forEach((indices, c) => {
    const order = r.shuffle(indices.slice());
    let at = 0;
    for (let s = 0; s < 4; s++) {
      const take = counts[c]![s]!;
      for (let j = 0; j < take; j++) parts[s]!.push(order[at++]!);
    }
  });
  return { train: sortedIndices(parts[0]!), validation: sortedIndices(parts[1]!), test: sortedIndices(parts[2]!) };
}

import { toRng, checkSampleCount, sortedIndices } from './internal/common.js';
import { resolveSizes } from './split-sizes.js';
import type { Split, SplitOptions, SplitSizes } from './split-sizes.js';

/**
 * Splits `n` samples at random into train, validation and test indices.
 *
 * @param n - the number of samples.
 * @param sizes - each part as a fraction in (0, 1) or a count; train defaults to the rest.
 * @param options - the seed (or an `Rng`, which is advanced).
 * @returns ascending, disjoint index arrays.
 * @throws `ConfigError` when a size is invalid or the sizes add up to more than `n`.
 * @example
 * ```ts
 * import { randomSplit, applySplit } from '@tensorloom/data';
 * const split = randomSplit(images.length, { validation: 0.1, test: 0.1 }, { seed: 1 });
 * const { train, validation, test } = applySplit(split, { images, labels });
 * ```
 *
 * @group Splits
 */
export function randomSplit(n: number, sizes: SplitSizes, options: SplitOptions): Split {
  const unit = 'randomSplit';
  checkSampleCount(unit, n);
  const [train, validation, test] = resolveSizes(unit, n, sizes);
  const order = toRng(unit, options.seed).permutation(n);
  return {
    train: sortedIndices(order.subarray(0, train)),
    validation: sortedIndices(order.subarray(train, train + validation)),
    test: sortedIndices(order.subarray(train + validation, train + validation + test)),
  };
}

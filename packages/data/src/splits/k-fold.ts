import { apportion } from './internal/apportion.js';
import { checkFolds, checkSampleCount, foldSizes, groupByLabel, sortedIndices, toRng } from './internal/common.js';
import type { SplitOptions } from './split-sizes.js';

/**
 * One fold of a cross-validation: the samples to train on and the held-out ones.
 *
 * @example
 * ```ts
 * for (const { train, validation } of kFold(100, 5, { seed: 1 })) fitAndScore(train, validation);
 * ```
 *
 * @group Splits
 */
export interface Fold {
  /** Indices of the training samples (every sample outside this fold), ascending. */
  train: Int32Array;
  /** Indices of this fold's held-out samples, ascending. */
  validation: Int32Array;
}

function toFolds(n: number, assigned: readonly number[][]): Fold[] {
  return assigned.map((held) => {
    const inFold = new Uint8Array(n);
    for (const i of held) inFold[i] = 1;
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (inFold[i] === 0) train.push(i);
    return { train: Int32Array.from(train), validation: sortedIndices(held) };
  });
}

/**
 * K-fold cross-validation of `n` samples in random order: `k` disjoint held-out folds
 * covering every sample once, sizes `⌈n/k⌉` or `⌊n/k⌋` (the first `n mod k` are larger).
 *
 * @throws `ConfigError` when `k` is not an integer in [2, n].
 * @example
 * ```ts
 * const folds = kFold(images.length, 5, { seed: 1 });
 * const { train, validation } = applySplit(folds[0], { images, labels });
 * ```
 *
 * @group Splits
 */
export function kFold(n: number, k: number, options: SplitOptions): Fold[] {
  const unit = 'kFold';
  checkSampleCount(unit, n);
  checkFolds(unit, n, k);
  const order = toRng(unit, options.seed).permutation(n);
  const sizes = foldSizes(n, k);
  const folds: number[][] = [];
  let at = 0;
  for (const size of sizes) {
    folds.push(Array.from(order.subarray(at, at + size)));
    at += size;
  }
  return toFolds(n, folds);
}

/**
 * Stratified k-fold cross-validation: like {@link kFold}, and each class is spread over the
 * folds as evenly as possible — a class of `m` samples has `m·size/n` rounded down or up
 * in a fold of `size` samples (within one sample of its share).
 *
 * @param labels - one class label (number or string) per sample.
 * @throws `ConfigError` when `k` is not an integer in [2, number of samples], or a label is
 *   neither a number nor a string.
 * @example
 * ```ts
 * const folds = stratifiedKFold(labels, 5, { seed: 1 });
 * ```
 *
 * @group Splits
 */
export function stratifiedKFold(labels: ArrayLike<number | string>, k: number, options: SplitOptions): Fold[] {
  const unit = 'stratifiedKFold';
  const n = labels.length;
  checkFolds(unit, n, k);
  const { members } = groupByLabel(unit, labels);
  const r = toRng(unit, options.seed);
  const sizes = foldSizes(n, k);
  const counts = apportion(
    members.map((m) => m.length),
    sizes,
    r,
  );
  const folds: number[][] = sizes.map(() => []);
  members.forEach((indices, c) => {
    const order = r.shuffle(indices.slice());
    let at = 0;
    for (let f = 0; f < k; f++) for (let j = 0; j < counts[c]![f]!; j++) folds[f]!.push(order[at++]!);
  });
  return toFolds(n, folds);
}

import { ConfigError, tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import { PROB_EPSILON } from './log-probabilities.js';
import { checkFlag, checkFloat, checkLossOptions, checkNumber, checkReduction, checkSameShape, lossUnit, makeLoss, reduceLoss } from './reduce.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * Options of {@link binaryCrossentropy}.
 *
 * @example
 * ```ts
 * const options: BinaryCrossentropyOptions = { fromLogits: true, positiveWeight: 3 };
 * ```
 */
export interface BinaryCrossentropyOptions extends BaseLossOptions {
  /** yPred holds logits (the stable softplus form is used) rather than probabilities; default false. */
  fromLogits?: boolean;
  /** ε in [0, 1]: targets become `y(1−ε) + ε/2`, as Keras; default 0. */
  labelSmoothing?: number;
  /** Weight of the positive term (a number, or one per last-axis entry), as PyTorch's `pos_weight`; default 1. */
  positiveWeight?: number | readonly number[];
}

const NAME = 'binary_crossentropy';

/** @internal Element-wise binary cross-entropy: stable from logits, clipped from probabilities. */
export function binaryCrossentropyElements(y: tf.Tensor, pred: tf.Tensor, fromLogits: boolean, positiveWeight?: tf.Tensor): tf.Tensor {
  if (fromLogits) {
    // softplus(−x) = log(1 + e^{−x}) = −log σ(x); (1 − y)·x + softplus(−x) is −[y log σ(x) + (1−y) log(1−σ(x))].
    const spNeg = tf.softplus(tf.neg(pred));
    if (positiveWeight === undefined) return tf.add(tf.mul(tf.sub(1, y), pred), spNeg);
    const lw = tf.add(tf.mul(tf.sub(positiveWeight, 1), y), 1);
    return tf.add(tf.mul(tf.sub(1, y), pred), tf.mul(lw, spNeg));
  }
  const p = tf.clipByValue(pred, PROB_EPSILON, 1 - PROB_EPSILON);
  let pos = tf.mul(y, tf.log(p));
  if (positiveWeight !== undefined) pos = tf.mul(pos, positiveWeight);
  return tf.neg(tf.add(pos, tf.mul(tf.sub(1, y), tf.log(tf.sub(1, p)))));
}

/**
 * Binary cross-entropy, `−[w₊·y·log p + (1 − y)·log(1 − p)]` averaged over the last axis (Keras'
 * `BinaryCrossentropy`; with `'mean'` PyTorch's `BCEWithLogitsLoss`/`BCELoss`), from logits in the
 * stable form `(1 − y)x + (1 + (w₊ − 1)y)·softplus(−x)`, from probabilities clipped to [1e-7, 1 − 1e-7].
 * Soft targets in [0, 1] (mixup) work.
 *
 * Shapes: yTrue and yPred the same shape `[B, …, D]`; `'none'` gives `[B, …]` (rank 1: `[B]`).
 *
 * @param options - {@link BinaryCrossentropyOptions}.
 * @returns a {@link Loss} named `'binary_crossentropy'`.
 * @throws ConfigError for a bad option; ShapeError when the shapes differ.
 * @example
 * ```ts
 * const loss = losses.binaryCrossentropy({ fromLogits: true });
 * loss(tf.tensor2d([[1], [0]]), tf.tensor2d([[2.5], [-1]]));
 * ```
 */
export function binaryCrossentropy(options: BinaryCrossentropyOptions = {}): Loss {
  checkLossOptions(NAME, options, ['fromLogits', 'labelSmoothing', 'positiveWeight']);
  const reduction = checkReduction(NAME, options.reduction);
  const fromLogits = checkFlag(NAME, 'fromLogits', options.fromLogits, false);
  const smoothing = checkNumber(NAME, 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1, 'a number in [0, 1]');
  const pw = options.positiveWeight;
  const weights = pw === undefined ? undefined : typeof pw === 'number' ? [pw] : pw;
  if (weights !== undefined && (!Array.isArray(weights) || weights.length === 0 || !weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0))) {
    throw new ConfigError(`${lossUnit(NAME)}: positiveWeight expected a number ≥ 0 or an array of them, got ${JSON.stringify(pw)}`);
  }
  return makeLoss(NAME, (yTrue, yPred, sampleWeight) => {
    checkFloat(NAME, 'yPred', yPred);
    checkSameShape(NAME, yTrue, yPred);
    if (weights !== undefined && weights.length > 1 && yPred.shape[yPred.rank - 1] !== weights.length) {
      throw new ConfigError(`${lossUnit(NAME)}: positiveWeight expected ${yPred.shape[yPred.rank - 1]} weights (the last axis), got ${weights.length}`);
    }
    let y = tf.cast(yTrue, 'float32');
    if (smoothing > 0) y = tf.add(tf.mul(y, 1 - smoothing), smoothing / 2);
    const w = weights === undefined ? undefined : weights.length === 1 ? tf.scalar(weights[0]) : tf.tensor1d([...weights]);
    const e = binaryCrossentropyElements(y, yPred, fromLogits, w);
    return reduceLoss(NAME, yPred.rank <= 1 ? e : tf.mean(e, -1), reduction, sampleWeight);
  });
}

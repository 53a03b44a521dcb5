import { ConfigError, ShapeError, ValueError, formatShape, tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import {
  checkClassWeights,
  checkFlag,
  checkFloat,
  checkLossOptions,
  checkNumber,
  checkReduction,
  lossUnit,
  makeLoss,
  reduceLoss,
} from './reduce.js';
import type { BaseLossOptions } from './reduce.js';
import { logProbabilities } from './log-probabilities.js';

/**
 * Options of {@link sparseCategoricalCrossentropy}.
 *
 * @example
 * ```ts
 * const options: SparseCategoricalCrossentropyOptions = { fromLogits: true, ignoreIndex: 0, labelSmoothing: 0.1 };
 * ```
 */
export interface SparseCategoricalCrossentropyOptions extends BaseLossOptions {
  /** yPred holds logits (log-softmax taken here, stably) rather than probabilities; default false. */
  fromLogits?: boolean;
  /** ε in [0, 1]: the target is `(1−ε)·onehot + ε/C`, as PyTorch's `label_smoothing`; default 0. */
  labelSmoothing?: number;
  /** A label value that contributes nothing and is not counted by `'mean'` (padding); default none. */
  ignoreIndex?: number;
  /** One weight per class; `'mean'` then divides by the summed weights of the targets (PyTorch). */
  classWeights?: readonly number[];
  /**
   * When to check on the host that every label is an integer in [0, classes) (or the ignore index),
   * throwing a message that names the loss and the label: `'first'` (default) on the first call
   * only, `true` on every call, `false` never. Each check reads one number back from the device.
   * Without a check a bad label still never goes unnoticed: its sample's loss is NaN.
   */
  checkLabels?: boolean | 'first';
}

const NAME = 'sparse_categorical_crossentropy';

/**
 * Cross-entropy between integer labels and predicted class scores, without one-hot labels; the
 * loss of PyTorch's `cross_entropy` and Keras' `SparseCategoricalCrossentropy`:
 * `ℓᵢ = −(1−ε)·w_{yᵢ}·log p_{yᵢ} − (ε/C)·Σ_c w_c·log p_c`, with `log p = x − logsumexp(x)` for
 * logits (stable for any magnitude) or `log(clip(p / Σp, 1e-7, 1 − 1e-7))` for probabilities.
 *
 * Shapes: yTrue `[...S]` integer labels (int32 or whole floats; `[...S, 1]` also accepted), yPred
 * `[...S, C]`, so `[B]`/`[B, C]` for classification, `[B, T]`/`[B, T, V]` for sequences and
 * `[B, H, W]`/`[B, H, W, C]` for segmentation. `'none'` gives shape `[...S]`.
 *
 * @param options - {@link SparseCategoricalCrossentropyOptions}.
 * @returns a {@link Loss}.
 * @throws ConfigError for a bad option; ShapeError for mismatched shapes; ValueError for a label out
 * of range (naming the loss and the label).
 * @example
 * ```ts
 * const loss = losses.sparseCategoricalCrossentropy({ fromLogits: true });
 * const value = loss(tf.tensor1d([2, 0], 'int32'), tf.tensor2d([[0.1, 0.2, 3], [2, 0, 0]]));
 * ```
 */
export function sparseCategoricalCrossentropy(options: SparseCategoricalCrossentropyOptions = {}): Loss {
  checkLossOptions(NAME, options, ['fromLogits', 'labelSmoothing', 'ignoreIndex', 'classWeights', 'checkLabels']);
  const reduction = checkReduction(NAME, options.reduction);
  const fromLogits = checkFlag(NAME, 'fromLogits', options.fromLogits, false);
  const checkLabels = options.checkLabels ?? 'first';
  if (checkLabels !== true && checkLabels !== false && checkLabels !== 'first') {
    throw new ConfigError(`${lossUnit(NAME)}: checkLabels expected true, false or 'first', got ${JSON.stringify(checkLabels)}`);
  }
  let checked = false;
  const smoothing = checkNumber(NAME, 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1, 'a number in [0, 1]');
  const ignoreIndex = options.ignoreIndex;
  if (ignoreIndex !== undefined && !Number.isInteger(ignoreIndex)) {
    throw new ConfigError(`${lossUnit(NAME)}: ignoreIndex expected an integer, got ${String(ignoreIndex)}`);
  }
  const classWeights = checkClassWeights(NAME, options.classWeights);
  return makeLoss(NAME, (yTrue, yPred, sampleWeight) => {
    checkFloat(NAME, 'yPred', yPred);
    let labels = yTrue;
    if (labels.rank === yPred.rank && labels.shape[labels.rank - 1] === 1) labels = tf.squeeze(labels, [labels.rank - 1]);
    const lead = yPred.shape.slice(0, -1);
    if (yPred.rank < 1 || !tf.util.arraysEqual(labels.shape, lead)) {
      throw new ShapeError(
        `${lossUnit(NAME)}: yTrue expected integer labels of shape ${formatShape(lead)} for yPred ${formatShape(yPred.shape)}, got ${formatShape(yTrue.shape)}`,
      );
    }
    const classes = yPred.shape[yPred.rank - 1];
    if (classWeights !== undefined && classWeights.length !== classes) {
      throw new ShapeError(`${lossUnit(NAME)}: classWeights expected ${classes} weights (one per class), got ${classWeights.length}`);
    }
    const bad = badLabels(labels, classes, ignoreIndex);
    if (checkLabels === true || (checkLabels === 'first' && !checked)) {
      assertLabels(bad, labels, classes, ignoreIndex);
      checked = true;
    }
    const ids = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    const mask = ignoreIndex === undefined ? undefined : tf.cast(tf.notEqual(ids, ignoreIndex), 'float32');
    const safe = mask === undefined ? ids : tf.where(tf.cast(mask, 'bool'), ids, tf.zerosLike(ids));
    const logp = logProbabilities(yPred, fromLogits); // (...S, C)
    const oneHot = tf.oneHot(tf.reshape(safe, [-1]), classes).reshape(yPred.shape).toFloat(); // (...S, C)
    const cw = classWeights === undefined ? undefined : tf.tensor1d([...classWeights]);
    const targetLogp = tf.sum(tf.mul(oneHot, logp), -1); // (...S)
    // A bad label that was not checked makes its sample's loss NaN rather than a silent wrong value.
    let perSample = tf.where(bad, tf.fill(targetLogp.shape, NaN), tf.neg(targetLogp));
    let weight: tf.Tensor | undefined = mask;
    if (cw !== undefined) {
      const wy = tf.sum(tf.mul(oneHot, cw), -1);
      perSample = tf.mul(perSample, wy);
      weight = weight === undefined ? wy : tf.mul(weight, wy);
    }
    if (smoothing > 0) {
      const all = cw === undefined ? tf.sum(logp, -1) : tf.sum(tf.mul(logp, cw), -1);
      perSample = tf.sub(tf.mul(perSample, 1 - smoothing), tf.mul(all, smoothing / classes));
    }
    if (weight === undefined) return reduceLoss(NAME, perSample, reduction, sampleWeight);
    // The class weight already multiplies perSample; `weight` is used as the mask and the
    // denominator, so divide it back out of the numerator where it is the class weight.
    const perTarget = mask === undefined ? perSample : tf.mul(perSample, mask);
    if (reduction === 'none') return reduceLoss(NAME, perTarget, reduction, sampleWeight);
    const numerator = reduceLoss(NAME, perTarget, 'sum', sampleWeight);
    if (reduction === 'sum') return numerator;
    const denom = tf.sum(weight);
    return tf.where(tf.greater(denom, 0), tf.div(numerator, tf.maximum(denom, 1e-30)), tf.zerosLike(numerator));
  });
}

/** True where a label is not an integer in [0, classes) and not the ignore index. */
function badLabels(labels: tf.Tensor, classes: number, ignoreIndex: number | undefined): tf.Tensor {
  const f = tf.cast(labels, 'float32');
  let bad = tf.logicalOr(tf.logicalOr(tf.less(f, 0), tf.greaterEqual(f, classes)), tf.notEqual(f, tf.round(f)));
  if (ignoreIndex !== undefined) bad = tf.logicalAnd(bad, tf.notEqual(f, ignoreIndex));
  return bad;
}

function assertLabels(bad: tf.Tensor, labels: tf.Tensor, classes: number, ignoreIndex: number | undefined): void {
  const flat = tf.tidy(() => {
    // Whether any label is bad, the first bad label's value and its flat index.
    const first = tf.argMax(tf.cast(bad, 'int32').reshape([-1]));
    const values = tf.cast(labels, 'float32').reshape([-1]);
    return tf.stack([tf.cast(tf.any(bad), 'float32'), tf.gather(values, first), tf.cast(first, 'float32')]);
  });
  const [any, value, index] = flat.dataSync();
  flat.dispose();
  if (any > 0) {
    throw new ValueError(
      `${lossUnit(NAME)}: yTrue expected integer labels in [0, ${classes})${ignoreIndex === undefined ? '' : ` or the ignoreIndex ${ignoreIndex}`}, got ${value} at flat index ${index}`,
    );
  }
}

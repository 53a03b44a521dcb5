import { ShapeError, tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import { logProbabilities } from './log-probabilities.js';
import { checkClassWeights, checkFlag, checkFloat, checkLossOptions, checkNumber, checkReduction, checkSameShape, lossUnit, makeLoss, reduceLoss } from './reduce.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * Options of {@link categoricalCrossentropy}.
 *
 * @example
 * ```ts
 * const options: CategoricalCrossentropyOptions = { fromLogits: true, labelSmoothing: 0.1 };
 * ```
 */
export interface CategoricalCrossentropyOptions extends BaseLossOptions {
  /** yPred holds logits (log-softmax taken here, stably) rather than probabilities; default false. */
  fromLogits?: boolean;
  /** ε in [0, 1]: targets become `(1−ε)y + ε/C`; default 0. */
  labelSmoothing?: number;
  /** One weight per class, multiplying its term: `−Σ_c w_c y_c log p_c` (PyTorch's `weight` with probability targets). */
  classWeights?: readonly number[];
}

const NAME = 'categorical_crossentropy';

/**
 * Cross-entropy between target distributions (one-hot, smoothed, or soft labels from mixup/cutmix)
 * and predicted class scores over the last axis: `ℓᵢ = −Σ_c w_c·q_c·log p_c`, with `log p` from a
 * stable log-softmax of logits or from clipped probabilities; PyTorch's `cross_entropy` with
 * probability targets, Keras' `CategoricalCrossentropy`.
 *
 * Shapes: yTrue and yPred `[...S, C]`; `'none'` gives `[...S]`.
 *
 * @param options - {@link CategoricalCrossentropyOptions}.
 * @returns a {@link Loss} named `'categorical_crossentropy'`.
 * @throws ConfigError for a bad option; ShapeError when the shapes differ.
 * @example
 * ```ts
 * const loss = losses.categoricalCrossentropy({ fromLogits: true });
 * loss(tf.tensor2d([[0.7, 0.3]]), tf.tensor2d([[2, 1]])); // soft labels
 * ```
 */
export function categoricalCrossentropy(options: CategoricalCrossentropyOptions = {}): Loss {
  checkLossOptions(NAME, options, ['fromLogits', 'labelSmoothing', 'classWeights']);
  const reduction = checkReduction(NAME, options.reduction);
  const fromLogits = checkFlag(NAME, 'fromLogits', options.fromLogits, false);
  const smoothing = checkNumber(NAME, 'labelSmoothing', options.labelSmoothing ?? 0, 0, 1, 'a number in [0, 1]');
  const classWeights = checkClassWeights(NAME, options.classWeights);
  return makeLoss(NAME, (yTrue, yPred, sampleWeight) => {
    checkFloat(NAME, 'yPred', yPred);
    checkSameShape(NAME, yTrue, yPred);
    const classes = yPred.shape[yPred.rank - 1];
    if (classWeights !== undefined && classWeights.length !== classes) {
      throw new ShapeError(`${lossUnit(NAME)}: classWeights expected ${classes} weights (one per class), got ${classWeights.length}`);
    }
    let q = tf.cast(yTrue, 'float32');
    if (smoothing > 0) q = tf.add(tf.mul(q, 1 - smoothing), smoothing / classes);
    if (classWeights !== undefined) q = tf.mul(q, tf.tensor1d([...classWeights]));
    const perSample = tf.neg(tf.sum(tf.mul(q, logProbabilities(yPred, fromLogits)), -1));
    return reduceLoss(NAME, perSample, reduction, sampleWeight);
  });
}

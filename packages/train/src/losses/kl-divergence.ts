import { tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import { PROB_EPSILON, logProbabilities } from './log-probabilities.js';
import { checkFlag, checkFloat, checkLossOptions, checkReduction, checkSameShape, makeLoss, reduceLoss } from './reduce.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * Options of {@link klDivergence}.
 *
 * @example
 * ```ts
 * const options: KlDivergenceOptions = { fromLogits: true };
 * ```
 */
export interface KlDivergenceOptions extends BaseLossOptions {
  /** yPred holds logits (log-softmax over the last axis) rather than probabilities; default false. */
  fromLogits?: boolean;
}

const NAME = 'kl_divergence';

/**
 * Kullback–Leibler divergence `KL(y ‖ ŷ) = Σ_c y_c (log y_c − log ŷ_c)` over the last axis, with
 * `0·log 0 = 0`; `'mean'` over the samples equals PyTorch's `kl_div(log ŷ, y, reduction='batchmean')`
 * for 2-D inputs. Probabilities are clipped to [1e-7, 1] before the log, as Keras.
 *
 * Shapes: yTrue and yPred `[...S, C]`; `'none'` gives `[...S]`.
 *
 * @param options - {@link KlDivergenceOptions}.
 * @returns a {@link Loss} named `'kl_divergence'`.
 * @throws ShapeError when the shapes differ.
 * @example
 * ```ts
 * losses.klDivergence()(tf.tensor2d([[0.5, 0.5]]), tf.tensor2d([[0.9, 0.1]]));
 * ```
 */
export function klDivergence(options: KlDivergenceOptions = {}): Loss {
  checkLossOptions(NAME, options, ['fromLogits']);
  const reduction = checkReduction(NAME, options.reduction);
  const fromLogits = checkFlag(NAME, 'fromLogits', options.fromLogits, false);
  return makeLoss(NAME, (yTrue, yPred, sampleWeight) => {
    checkFloat(NAME, 'yPred', yPred);
    checkSameShape(NAME, yTrue, yPred);
    const y = tf.cast(yTrue, 'float32');
    const logQ = fromLogits ? logProbabilities(yPred, true) : tf.log(tf.clipByValue(yPred, PROB_EPSILON, 1));
    const positive = tf.greater(y, 0);
    const yLogY = tf.where(positive, tf.mul(y, tf.log(tf.where(positive, y, tf.onesLike(y)))), tf.zerosLike(y));
    return reduceLoss(NAME, tf.sum(tf.sub(yLogY, tf.mul(y, logQ)), -1), reduction, sampleWeight);
  });
}

import { ConfigError, tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import { checkFlag, checkFloat, checkLossOptions, checkNumber, checkReduction, checkSameShape, lossUnit, makeLoss, reduceLoss } from './reduce.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * Options of the overlap losses {@link dice}, {@link jaccard} and {@link tversky}.
 *
 * @example
 * ```ts
 * const options: OverlapOptions = { activation: 'softmax', perClass: true, smooth: 1 };
 * ```
 */
export interface OverlapOptions extends BaseLossOptions {
  /** Turn yPred from logits into probabilities first: `'softmax'` over the last axis or `'sigmoid'`; default none (yPred are probabilities). */
  activation?: 'softmax' | 'sigmoid';
  /** s ≥ 0 added to numerator and denominator so empty masks score 1 rather than 0/0; default 1e-6. */
  smooth?: number;
  /** Score each class (the last axis) on its own and average them (macro), rather than pooling every value; default false. */
  perClass?: boolean;
}

/** @internal The sums an overlap score needs, per sample (or per sample and class): TP, Σy, Σŷ. */
export function overlapLoss(
  name: string,
  options: OverlapOptions & Record<string, unknown>,
  known: readonly string[],
  score: (tp: tf.Tensor, sumTrue: tf.Tensor, sumPred: tf.Tensor, smooth: number) => tf.Tensor,
): Loss {
  checkLossOptions(name, options, ['activation', 'smooth', 'perClass', ...known]);
  const reduction = checkReduction(name, options.reduction);
  const smooth = checkNumber(name, 'smooth', options.smooth ?? 1e-6, 0, Infinity, 'a number ≥ 0');
  const perClass = checkFlag(name, 'perClass', options.perClass, false);
  const activation = options.activation;
  if (activation !== undefined && activation !== 'softmax' && activation !== 'sigmoid') {
    throw new ConfigError(`${lossUnit(name)}: activation expected 'softmax' or 'sigmoid', got ${JSON.stringify(activation)}`);
  }
  return makeLoss(name, (yTrue, yPred, sampleWeight) => {
    checkFloat(name, 'yPred', yPred);
    checkSameShape(name, yTrue, yPred);
    if (yPred.rank < 2) {
      throw new ConfigError(`${lossUnit(name)}: yPred expected rank ≥ 2 [batch, …], got rank ${yPred.rank}`);
    }
    const y = tf.cast(yTrue, 'float32');
    const p = activation === 'softmax' ? tf.softmax(yPred, -1) : activation === 'sigmoid' ? tf.sigmoid(yPred) : yPred;
    // Sum over every axis but the batch (and the class axis when perClass).
    const axes = Array.from({ length: yPred.rank - 1 - (perClass ? 1 : 0) }, (_, i) => i + 1);
    const sum = (t: tf.Tensor) => (axes.length === 0 ? t : tf.sum(t, axes));
    const s = score(sum(tf.mul(y, p)), sum(y), sum(p), smooth); // (B) or (B, C)
    const perSample = perClass ? tf.mean(s, -1) : s;
    return reduceLoss(name, tf.sub(1, perSample), reduction, sampleWeight);
  });
}

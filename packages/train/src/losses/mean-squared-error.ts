import type { Loss } from './loss.js';
import { checkFloat, checkLossOptions, checkReduction, checkSameShape, makeLoss, reduceLoss } from './reduce.js';
import type { BaseLossOptions } from './reduce.js';
import { tf } from '@tensorloom/core';

/**
 * Options of {@link meanSquaredError}.
 *
 * @example
 * ```ts
 * const options: MeanSquaredErrorOptions = { reduction: 'sum' };
 * ```
 */
export type MeanSquaredErrorOptions = BaseLossOptions;

const NAME = 'mean_squared_error';

/**
 * Mean squared error, `ℓᵢ = mean_last_axis((yᵢ − ŷᵢ)²)` (Keras' per-sample mean over the last axis;
 * a rank-1 input is one value per sample). With `'mean'` it equals `torch.nn.MSELoss()`.
 *
 * Shapes: yTrue and yPred the same shape `[B, …, D]`; `'none'` gives `[B, …]`.
 *
 * @param options - {@link MeanSquaredErrorOptions}.
 * @returns a {@link Loss}.
 * @throws ShapeError when the shapes differ.
 * @example
 * ```ts
 * const loss = losses.meanSquaredError();
 * loss(tf.tensor2d([[1], [2]]), tf.tensor2d([[1.5], [2]])); // 0.125
 * ```
 */
export function meanSquaredError(options: MeanSquaredErrorOptions = {}): Loss {
  checkLossOptions(NAME, options, []);
  const reduction = checkReduction(NAME, options.reduction);
  return makeLoss(NAME, (yTrue, yPred, sampleWeight) => {
    checkFloat(NAME, 'yPred', yPred);
    checkSameShape(NAME, yTrue, yPred);
    const d = tf.square(tf.sub(tf.cast(yTrue, 'float32'), yPred));
    return reduceLoss(NAME, yPred.rank <= 1 ? d : tf.mean(d, -1), reduction, sampleWeight);
  });
}

import { tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import { elementwiseLoss } from './elementwise.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * Options of {@link meanSquaredError}.
 *
 * @example
 * ```ts
 * const options: MeanSquaredErrorOptions = { reduction: 'sum' };
 * ```
 */
export type MeanSquaredErrorOptions = BaseLossOptions;

/**
 * Mean squared error, `ℓᵢ = mean_last_axis((yᵢ − ŷᵢ)²)` (Keras' per-sample mean over the last axis;
 * a rank-1 input is one value per sample). With `'mean'` it equals `torch.nn.MSELoss()`.
 *
 * Shapes: yTrue and yPred the same shape `[B, …, D]`; `'none'` gives `[B, …]`.
 *
 * @param options - {@link MeanSquaredErrorOptions}.
 * @returns a {@link Loss} named `'mean_squared_error'`.
 * @throws ShapeError when the shapes differ.
 * @example
 * ```ts
 * const loss = losses.meanSquaredError();
 * loss(tf.tensor2d([[1], [2]]), tf.tensor2d([[1.5], [2]])); // 0.125
 * ```
 */
export function meanSquaredError(options: MeanSquaredErrorOptions = {}): Loss {
  return elementwiseLoss('mean_squared_error', { ...options }, [], (y, p) => tf.square(tf.sub(y, p)));
}

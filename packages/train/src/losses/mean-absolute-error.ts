import { tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import { elementwiseLoss } from './elementwise.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * Options of {@link meanAbsoluteError}.
 *
 * @example
 * ```ts
 * const options: MeanAbsoluteErrorOptions = { reduction: 'none' };
 * ```
 */
export type MeanAbsoluteErrorOptions = BaseLossOptions;

/**
 * Mean absolute error, `ℓᵢ = mean_last_axis(|yᵢ − ŷᵢ|)`; with `'mean'` it equals `torch.nn.L1Loss()`.
 *
 * Shapes: yTrue and yPred the same shape `[B, …, D]`; `'none'` gives `[B, …]`.
 *
 * @param options - {@link MeanAbsoluteErrorOptions}.
 * @returns a {@link Loss} named `'mean_absolute_error'`.
 * @throws ShapeError when the shapes differ.
 * @example
 * ```ts
 * losses.meanAbsoluteError()(tf.tensor2d([[1], [2]]), tf.tensor2d([[1.5], [2]])); // 0.25
 * ```
 */
export function meanAbsoluteError(options: MeanAbsoluteErrorOptions = {}): Loss {
  return elementwiseLoss('mean_absolute_error', { ...options }, [], (y, p) => tf.abs(tf.sub(y, p)));
}

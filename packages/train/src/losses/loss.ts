import type { tf } from '@tensorloom/core';

/**
 * How a loss folds its per-sample values into the result: `'mean'` over the samples (or over the
 * counted targets, see each loss), `'sum'`, or `'none'` for the per-sample values.
 *
 * @example
 * ```ts
 * const perToken = losses.sparseCategoricalCrossentropy({ fromLogits: true, reduction: 'none' });
 * ```
 */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * A loss: `yTrue`, `yPred` (logits or probabilities as configured), optional per-sample weights of
 * shape `[batch]` (or the loss's whole per-sample shape) → a scalar, or the per-sample values for
 * `reduction: 'none'`.
 *
 * @example
 * ```ts
 * const loss: Loss = losses.meanSquaredError();
 * const value = loss(tf.tensor([[1], [2]]), tf.tensor([[1.5], [2]])); // 0.125
 * ```
 */
export interface Loss {
  (yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor): tf.Tensor;
  /** The loss's snake_case name, as Keras names it: `'sparse_categorical_crossentropy'`, …. */
  readonly lossName: string;
}

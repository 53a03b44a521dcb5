import { tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import { elementwiseLoss } from './elementwise.js';
import { checkFlag } from './reduce.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * Options of {@link hinge} and {@link squaredHinge}.
 *
 * @example
 * ```ts
 * const options: HingeOptions = { binaryLabels: true };
 * ```
 */
export interface HingeOptions extends BaseLossOptions {
  /** yTrue holds 0/1 labels, mapped to −1/+1; default false (labels are −1/+1). */
  binaryLabels?: boolean;
}

function signed(y: tf.Tensor, binary: boolean): tf.Tensor {
  return binary ? tf.sub(tf.mul(y, 2), 1) : y;
}

/**
 * Hinge loss, `mean_last_axis(max(0, 1 − y·ŷ))` with labels y ∈ {−1, +1} (Keras' `Hinge`).
 *
 * Shapes: yTrue and yPred the same shape `[B, …, D]`; `'none'` gives `[B, …]`.
 *
 * @param options - {@link HingeOptions}.
 * @returns a {@link Loss} named `'hinge'`.
 * @throws ShapeError when the shapes differ.
 * @example
 * ```ts
 * losses.hinge()(tf.tensor1d([1, -1]), tf.tensor1d([0.3, -2])); // (0.7 + 0) / 2
 * ```
 */
export function hinge(options: HingeOptions = {}): Loss {
  const binary = checkFlag('hinge', 'binaryLabels', options.binaryLabels, false);
  return elementwiseLoss('hinge', { ...options }, ['binaryLabels'], (y, p) => tf.relu(tf.sub(1, tf.mul(signed(y, binary), p))));
}

/**
 * Squared hinge loss, `mean_last_axis(max(0, 1 − y·ŷ)²)` with labels y ∈ {−1, +1} (Keras'
 * `SquaredHinge`).
 *
 * Shapes: yTrue and yPred the same shape `[B, …, D]`; `'none'` gives `[B, …]`.
 *
 * @param options - {@link HingeOptions}.
 * @returns a {@link Loss} named `'squared_hinge'`.
 * @throws ShapeError when the shapes differ.
 * @example
 * ```ts
 * losses.squaredHinge()(tf.tensor1d([1, -1]), tf.tensor1d([0.3, -2])); // (0.49 + 0) / 2
 * ```
 */
export function squaredHinge(options: HingeOptions = {}): Loss {
  const binary = checkFlag('squared_hinge', 'binaryLabels', options.binaryLabels, false);
  return elementwiseLoss('squared_hinge', { ...options }, ['binaryLabels'], (y, p) =>
    tf.square(tf.relu(tf.sub(1, tf.mul(signed(y, binary), p)))),
  );
}

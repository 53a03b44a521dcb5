import { tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import { elementwiseLoss } from './elementwise.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * Options of {@link logCosh}.
 *
 * @example
 * ```ts
 * const options: LogCoshOptions = { reduction: 'sum' };
 * ```
 */
export type LogCoshOptions = BaseLossOptions;

/**
 * Log-cosh loss, `log(cosh(e))` with `e = ŷ − y`, averaged over the last axis (Keras' `LogCosh`),
 * computed as `|e| + softplus(−2|e|) − log 2` so that it stays finite for any error.
 *
 * Shapes: yTrue and yPred the same shape `[B, …, D]`; `'none'` gives `[B, …]`.
 *
 * @param options - {@link LogCoshOptions}.
 * @returns a {@link Loss} named `'log_cosh'`.
 * @throws ShapeError when the shapes differ.
 * @example
 * ```ts
 * losses.logCosh()(tf.tensor1d([0]), tf.tensor1d([1])); // log(cosh(1)) ≈ 0.4338
 * ```
 */
export function logCosh(options: LogCoshOptions = {}): Loss {
  return elementwiseLoss('log_cosh', { ...options }, [], (y, p) => {
    const a = tf.abs(tf.sub(p, y));
    return tf.sub(tf.add(a, tf.softplus(tf.mul(a, -2))), Math.LN2);
  });
}

import { tf } from '@tensorloom/core';

import type { Loss } from './loss.js';
import { elementwiseLoss } from './elementwise.js';
import { checkNumber } from './reduce.js';
import type { BaseLossOptions } from './reduce.js';

/**
 * Options of {@link huber}.
 *
 * @example
 * ```ts
 * const options: HuberOptions = { delta: 0.5 };
 * ```
 */
export interface HuberOptions extends BaseLossOptions {
  /** δ > 0, where the loss turns from quadratic to linear; default 1. */
  delta?: number;
}

/**
 * Huber loss (Huber 1964), `½e²` for `|e| ≤ δ`, else `δ(|e| − ½δ)`, with `e = y − ŷ`, averaged over
 * the last axis; with `'mean'` it equals `torch.nn.HuberLoss(delta=δ)`.
 *
 * Shapes: yTrue and yPred the same shape `[B, …, D]`; `'none'` gives `[B, …]`.
 *
 * @param options - {@link HuberOptions}.
 * @returns a {@link Loss} named `'huber'`.
 * @throws ConfigError for a bad δ; ShapeError when the shapes differ.
 * @example
 * ```ts
 * losses.huber({ delta: 1 })(tf.tensor1d([0, 0]), tf.tensor1d([0.5, 3])); // (0.125 + 2.5) / 2
 * ```
 */
export function huber(options: HuberOptions = {}): Loss {
  const delta = checkNumber('huber', 'delta', options.delta ?? 1, Number.MIN_VALUE, Infinity, 'a number > 0');
  return elementwiseLoss('huber', { ...options }, ['delta'], (y, p) => {
    const a = tf.abs(tf.sub(y, p));
    // min(|e|, δ) keeps one formula with a continuous gradient: ½q² + δ(|e| − q).
    const q = tf.minimum(a, delta);
    return tf.add(tf.mul(tf.square(q), 0.5), tf.mul(tf.sub(a, q), delta));
  });
}

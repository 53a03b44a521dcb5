import type { Loss } from './loss.js';
import { overlapLoss } from './overlap.js';
import type { OverlapOptions } from './overlap.js';
import { tf } from '@tensorloom/core';

/**
 * Soft Dice loss (Milletari et al., https://arxiv.org/abs/1606.04797):
 * `1 − (2·Σyŷ + s) / (Σy + Σŷ + s)` per sample, over every non-batch axis (or per class and averaged,
 * with `perClass`). For segmentation masks `[B, H, W, C]` and multi-label outputs `[B, C]`.
 *
 * Shapes: yTrue and yPred the same shape `[B, …]`; `'none'` gives `[B]`.
 *
 * @param options - {@link OverlapOptions}.
 * @returns a {@link Loss} named `'dice'`.
 * @throws ConfigError for a bad option; ShapeError when the shapes differ.
 * @example
 * ```ts
 * const loss = losses.dice({ activation: 'softmax', perClass: true });
 * ```
 */
export function dice(options: OverlapOptions = {}): Loss {
  return overlapLoss('dice', { ...options }, [], (tp, st, sp, s) => tf.div(tf.add(tf.mul(tp, 2), s), tf.add(tf.add(st, sp), s)));
}

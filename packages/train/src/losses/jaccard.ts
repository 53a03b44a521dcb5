import type { Loss } from './loss.js';
import { overlapLoss } from './overlap.js';
import type { OverlapOptions } from './overlap.js';
import { tf } from '@tensorloom/core';

/**
 * Soft Jaccard (IoU) loss: `1 − (Σyŷ + s) / (Σy + Σŷ − Σyŷ + s)` per sample, over every non-batch
 * axis (or per class and averaged, with `perClass`).
 *
 * Shapes: yTrue and yPred the same shape `[B, …]`; `'none'` gives `[B]`.
 *
 * @param options - {@link OverlapOptions}.
 * @returns a {@link Loss} named `'jaccard'`.
 * @throws ConfigError for a bad option; ShapeError when the shapes differ.
 * @example
 * ```ts
 * const loss = losses.jaccard({ activation: 'sigmoid' });
 * ```
 */
export function jaccard(options: OverlapOptions = {}): Loss {
  return overlapLoss('jaccard', { ...options }, [], (tp, st, sp, s) => tf.div(tf.add(tp, s), tf.add(tf.sub(tf.add(st, sp), tp), s)));
}

import type { Loss } from './loss.js';
import { overlapLoss } from './overlap.js';
import type { OverlapOptions } from './overlap.js';
import { checkNumber } from './reduce.js';
import { tf } from '@tensorloom/core';

/**
 * Options of {@link tversky}.
 *
 * @example
 * ```ts
 * const options: TverskyOptions = { alpha: 0.3, beta: 0.7 };
 * ```
 */
export interface TverskyOptions extends OverlapOptions {
  /** Weight α ≥ 0 of the false positives; default 0.5. */
  alpha?: number;
  /** Weight β ≥ 0 of the false negatives; default 0.5 (α = β = ½ is Dice). */
  beta?: number;
}

/**
 * Tversky loss (Salehi et al., https://arxiv.org/abs/1706.05721):
 * `1 − (TP + s) / (TP + α·FP + β·FN + s)` with `TP = Σyŷ`, `FP = Σ(1−y)ŷ`, `FN = Σy(1−ŷ)` per sample,
 * over every non-batch axis (or per class and averaged, with `perClass`).
 *
 * Shapes: yTrue and yPred the same shape `[B, …]`; `'none'` gives `[B]`.
 *
 * @param options - {@link TverskyOptions}.
 * @returns a {@link Loss} named `'tversky'`.
 * @throws ConfigError for a bad option; ShapeError when the shapes differ.
 * @example
 * ```ts
 * const loss = losses.tversky({ alpha: 0.3, beta: 0.7, activation: 'sigmoid' });
 * ```
 */
export function tversky(options: TverskyOptions = {}): Loss {
  const alpha = checkNumber('tversky', 'alpha', options.alpha ?? 0.5, 0, Infinity, 'a number ≥ 0');
  const beta = checkNumber('tversky', 'beta', options.beta ?? 0.5, 0, Infinity, 'a number ≥ 0');
  // FP = Σŷ − TP and FN = Σy − TP.
  return overlapLoss('tversky', { ...options }, ['alpha', 'beta'], (tp, st, sp, s) =>
    tf.div(tf.add(tp, s), tf.add(tf.add(tf.add(tp, tf.mul(tf.sub(sp, tp), alpha)), tf.mul(tf.sub(st, tp), beta)), s)),
  );
}

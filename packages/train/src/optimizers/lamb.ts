import { tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import { checkNonNegative, checkUnitInterval } from './validate.js';

/**
 * Options of {@link lamb}.
 *
 * @example
 * ```ts
 * const options: LambOptions = { learningRate: 1e-3, weightDecay: 0.01 };
 * ```
 */
export interface LambOptions extends BaseOptimizerOptions {
  /** Default 1e-3. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the denominator, > 0; default 1e-6. */
  epsilon?: number;
  /** Decoupled weight decay λ, added to the Adam ratio before the trust ratio; default 0. */
  weightDecay?: number;
}

class Lamb extends BaseOptimizer {
  constructor(
    options: LambOptions,
    private readonly beta1 = checkUnitInterval('lamb', 'beta1', options.beta1 ?? 0.9),
    private readonly beta2 = checkUnitInterval('lamb', 'beta2', options.beta2 ?? 0.999),
    private readonly epsilon = checkNonNegative('lamb', 'epsilon', options.epsilon ?? 1e-6, true),
  ) {
    super('lamb', { ...options }, { learningRate: 1e-3, weightDecay: 0 }, { beta1, beta2, epsilon }, ['beta1', 'beta2', 'epsilon']);
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    return { m: { shape, init: 'zeros' }, v: { shape, init: 'zeros' } };
  }

  protected update({ param, grad, slots, lr, weightDecay, step }: UpdateContext): void {
    const { beta1: b1, beta2: b2 } = this;
    const m = tf.add(tf.mul(slots.m, b1), tf.mul(grad, 1 - b1));
    const v = tf.add(tf.mul(slots.v, b2), tf.mul(tf.square(grad), 1 - b2));
    slots.m.assign(m);
    slots.v.assign(v);
    const mHat = tf.div(m, 1 - b1 ** step);
    const vHat = tf.div(v, 1 - b2 ** step);
    let r = tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon));
    if (weightDecay !== 0) r = tf.add(r, tf.mul(param, weightDecay));
    const wNorm = tf.norm(param);
    const rNorm = tf.norm(r);
    // Trust ratio ‖θ‖/‖r‖, 1 when either norm is 0 (a fresh zero bias, a zero update).
    const trust = tf.where(tf.logicalAnd(tf.greater(wNorm, 0), tf.greater(rNorm, 0)), tf.div(wNorm, tf.maximum(rNorm, 1e-30)), tf.onesLike(wNorm));
    param.assign(tf.sub(param, tf.mul(r, tf.mul(trust, lr))));
  }
}

/**
 * LAMB, layer-wise adaptive moments (You et al., https://arxiv.org/abs/1904.00962, Algorithm 2),
 * per parameter tensor: Adam's bias-corrected `m̂`, `v̂`; `r = m̂/(√v̂ + ε) + λθ`;
 * `θ ← θ − η·(‖θ‖/‖r‖)·r` (the trust ratio is 1 when either norm is 0). Slots: `m`, `v`.
 *
 * @param options - {@link LambOptions}.
 * @returns an {@link Optimizer} named `'lamb'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.lamb({ learningRate: 2e-3, weightDecay: 0.01 });
 * ```
 */
export function lamb(options: LambOptions = {}): Optimizer {
  return new Lamb(options);
}

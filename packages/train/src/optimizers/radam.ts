import { tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import { checkBoolean, checkNonNegative, checkUnitInterval } from './validate.js';

/**
 * Options of {@link radam}.
 *
 * @example
 * ```ts
 * const options: RadamOptions = { learningRate: 1e-3, weightDecay: 0.01, decoupledWeightDecay: true };
 * ```
 */
export interface RadamOptions extends BaseOptimizerOptions {
  /** Default 1e-3. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the denominator, > 0; default 1e-8. */
  epsilon?: number;
  /** Decoupled (AdamW-style) rather than L2 weight decay; default false. */
  decoupledWeightDecay?: boolean;
}

class Radam extends BaseOptimizer {
  constructor(
    options: RadamOptions,
    private readonly beta1 = checkUnitInterval('radam', 'beta1', options.beta1 ?? 0.9),
    private readonly beta2 = checkUnitInterval('radam', 'beta2', options.beta2 ?? 0.999),
    private readonly epsilon = checkNonNegative('radam', 'epsilon', options.epsilon ?? 1e-8, true),
    private readonly decoupled = checkBoolean('radam', 'decoupledWeightDecay', options.decoupledWeightDecay ?? false),
  ) {
    super('radam', { ...options }, { learningRate: 1e-3, weightDecay: 0 }, { beta1, beta2, epsilon, decoupledWeightDecay: decoupled }, [
      'beta1',
      'beta2',
      'epsilon',
      'decoupledWeightDecay',
    ]);
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    return { m: { shape, init: 'zeros' }, v: { shape, init: 'zeros' } };
  }

  protected update({ param, grad, slots, lr, weightDecay, step }: UpdateContext): void {
    const { beta1: b1, beta2: b2 } = this;
    let g: tf.Tensor = grad;
    let theta: tf.Tensor = param;
    if (weightDecay !== 0) {
      if (this.decoupled) theta = tf.mul(param, 1 - lr * weightDecay);
      else g = tf.add(g, tf.mul(param, weightDecay));
    }
    const m = tf.add(tf.mul(slots.m, b1), tf.mul(g, 1 - b1));
    const v = tf.add(tf.mul(slots.v, b2), tf.mul(tf.square(g), 1 - b2));
    slots.m.assign(m);
    slots.v.assign(v);
    const bc1 = 1 - b1 ** step;
    const bc2 = 1 - b2 ** step;
    const mHat = tf.div(m, bc1);
    const rhoInf = 2 / (1 - b2) - 1;
    const rhoT = rhoInf - (2 * step * b2 ** step) / bc2;
    let delta: tf.Tensor;
    if (rhoT > 5) {
      // The variance of the adaptive rate is tractable: rectify it.
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      delta = tf.mul(tf.div(mHat, tf.add(tf.sqrt(v), this.epsilon)), lr * Math.sqrt(bc2) * rect);
    } else {
      delta = tf.mul(mHat, lr); // early steps: SGD with momentum
    }
    param.assign(tf.sub(theta, delta));
  }
}

/**
 * RAdam, rectified Adam (Liu et al., https://arxiv.org/abs/1908.03265), the update of
 * `torch.optim.RAdam`: Adam's moments; `ρ∞ = 2/(1−β₂) − 1`, `ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ)`; when `ρₜ > 5`
 * `θ ← θ − η·r·m̂·√(1−β₂ᵗ)/(√v + ε)` with `r = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ))`, else
 * `θ ← θ − η·m̂`. Slots: `m`, `v`.
 *
 * @param options - {@link RadamOptions}.
 * @returns an {@link Optimizer} named `'radam'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.radam({ learningRate: 1e-3 });
 * ```
 */
export function radam(options: RadamOptions = {}): Optimizer {
  return new Radam(options);
}

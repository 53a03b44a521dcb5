import { tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import { checkBoolean, checkNonNegative, checkUnitInterval } from './validate.js';

/**
 * Options of {@link nadam}.
 *
 * @example
 * ```ts
 * const options: NadamOptions = { learningRate: 2e-3, momentumDecay: 4e-3 };
 * ```
 */
export interface NadamOptions extends BaseOptimizerOptions {
  /** Default 2e-3. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the denominator, > 0; default 1e-8. */
  epsilon?: number;
  /** ψ of the momentum schedule `μₜ = β₁(1 − ½·0.96^(tψ))`, ≥ 0; default 4e-3. */
  momentumDecay?: number;
  /** Decoupled (AdamW-style) rather than L2 weight decay; default false. */
  decoupledWeightDecay?: boolean;
}

class Nadam extends BaseOptimizer {
  constructor(
    options: NadamOptions,
    private readonly beta1 = checkUnitInterval('nadam', 'beta1', options.beta1 ?? 0.9),
    private readonly beta2 = checkUnitInterval('nadam', 'beta2', options.beta2 ?? 0.999),
    private readonly epsilon = checkNonNegative('nadam', 'epsilon', options.epsilon ?? 1e-8, true),
    private readonly momentumDecay = checkNonNegative('nadam', 'momentumDecay', options.momentumDecay ?? 4e-3),
    private readonly decoupled = checkBoolean('nadam', 'decoupledWeightDecay', options.decoupledWeightDecay ?? false),
  ) {
    super(
      'nadam',
      { ...options },
      { learningRate: 2e-3, weightDecay: 0 },
      { beta1, beta2, epsilon, momentumDecay, decoupledWeightDecay: decoupled },
      ['beta1', 'beta2', 'epsilon', 'momentumDecay', 'decoupledWeightDecay'],
    );
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    return { m: { shape, init: 'zeros' }, v: { shape, init: 'zeros' } };
  }

  private mu(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** (t * this.momentumDecay));
  }

  protected update({ param, grad, slots, lr, weightDecay, step }: UpdateContext): void {
    let g: tf.Tensor = grad;
    let theta: tf.Tensor = param;
    if (weightDecay !== 0) {
      if (this.decoupled) theta = tf.mul(param, 1 - lr * weightDecay);
      else g = tf.add(g, tf.mul(param, weightDecay));
    }
    // μ₁·…·μₜ depends on the step count alone, so it is recomputed rather than stored.
    let muProduct = 1;
    for (let i = 1; i <= step; i++) muProduct *= this.mu(i);
    const mu = this.mu(step);
    const muNext = this.mu(step + 1);
    const m = tf.add(tf.mul(slots.m, this.beta1), tf.mul(g, 1 - this.beta1));
    const v = tf.add(tf.mul(slots.v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
    slots.m.assign(m);
    slots.v.assign(v);
    const denom = tf.add(tf.sqrt(tf.div(v, 1 - this.beta2 ** step)), this.epsilon);
    const gradPart = tf.mul(tf.div(g, denom), (lr * (1 - mu)) / (1 - muProduct));
    const momPart = tf.mul(tf.div(m, denom), (lr * muNext) / (1 - muProduct * muNext));
    param.assign(tf.sub(tf.sub(theta, gradPart), momPart));
  }
}

/**
 * NAdam, Adam with Nesterov momentum (Dozat, https://openreview.net/forum?id=OM0jvwB8jIp57ZJjtNEZ),
 * the update of `torch.optim.NAdam`: `μₜ = β₁(1 − ½·0.96^(tψ))`, `m ← β₁m + (1−β₁)g`,
 * `v ← β₂v + (1−β₂)g²`, `d = √(v/(1−β₂ᵗ)) + ε`,
 * `θ ← θ − η(1−μₜ)/(1−Πμ₁..ₜ) · g/d − η·μₜ₊₁/(1−Πμ₁..ₜ₊₁) · m/d`. Slots: `m`, `v`.
 *
 * @param options - {@link NadamOptions}.
 * @returns an {@link Optimizer} named `'nadam'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.nadam({ learningRate: 2e-3 });
 * ```
 */
export function nadam(options: NadamOptions = {}): Optimizer {
  return new Nadam(options);
}

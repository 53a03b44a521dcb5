import { tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import { checkNonNegative, checkUnitInterval } from './validate.js';

/**
 * Options of {@link adamax}.
 *
 * @example
 * ```ts
 * const options: AdamaxOptions = { learningRate: 2e-3, beta1: 0.9, beta2: 0.999 };
 * ```
 */
export interface AdamaxOptions extends BaseOptimizerOptions {
  /** Default 2e-3. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the infinity norm, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to |g| before the maximum, > 0; default 1e-8. */
  epsilon?: number;
}

class Adamax extends BaseOptimizer {
  constructor(
    options: AdamaxOptions,
    private readonly beta1 = checkUnitInterval('adamax', 'beta1', options.beta1 ?? 0.9),
    private readonly beta2 = checkUnitInterval('adamax', 'beta2', options.beta2 ?? 0.999),
    private readonly epsilon = checkNonNegative('adamax', 'epsilon', options.epsilon ?? 1e-8, true),
  ) {
    super('adamax', { ...options }, { learningRate: 2e-3, weightDecay: 0 }, { beta1, beta2, epsilon }, ['beta1', 'beta2', 'epsilon']);
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    return { m: { shape, init: 'zeros' }, u: { shape, init: 'zeros' } };
  }

  protected update({ param, grad, slots, lr, weightDecay, step }: UpdateContext): void {
    const g = weightDecay === 0 ? grad : tf.add(grad, tf.mul(param, weightDecay));
    const m = tf.add(tf.mul(slots.m, this.beta1), tf.mul(g, 1 - this.beta1));
    const u = tf.maximum(tf.mul(slots.u, this.beta2), tf.add(tf.abs(g), this.epsilon));
    slots.m.assign(m);
    slots.u.assign(u);
    param.assign(tf.sub(param, tf.mul(tf.div(m, u), lr / (1 - this.beta1 ** step))));
  }
}

/**
 * Adamax, Adam with the infinity norm (Kingma & Ba, https://arxiv.org/abs/1412.6980 §7.1), the
 * update of `torch.optim.Adamax`: `g ← ∇ + λθ; m ← β₁m + (1−β₁)g; u ← max(β₂u, |g| + ε);
 * θ ← θ − η/(1−β₁ᵗ) · m/u`. Slots: `m`, `u`.
 *
 * @param options - {@link AdamaxOptions}.
 * @returns an {@link Optimizer} named `'adamax'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.adamax({ learningRate: 2e-3 });
 * ```
 */
export function adamax(options: AdamaxOptions = {}): Optimizer {
  return new Adamax(options);
}

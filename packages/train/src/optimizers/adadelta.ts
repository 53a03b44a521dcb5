import { tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import { checkNonNegative, checkUnitInterval } from './validate.js';

/**
 * Options of {@link adadelta}.
 *
 * @example
 * ```ts
 * const options: AdadeltaOptions = { learningRate: 1, rho: 0.95 };
 * ```
 */
export interface AdadeltaOptions extends BaseOptimizerOptions {
  /** A multiplier on the step; default 1 (the paper has none). */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Decay of both running averages, in [0, 1); default 0.9. */
  rho?: number;
  /** Added inside both roots, > 0; default 1e-6. */
  epsilon?: number;
}

class Adadelta extends BaseOptimizer {
  constructor(
    options: AdadeltaOptions,
    private readonly rho = checkUnitInterval('adadelta', 'rho', options.rho ?? 0.9),
    private readonly epsilon = checkNonNegative('adadelta', 'epsilon', options.epsilon ?? 1e-6, true),
  ) {
    super('adadelta', { ...options }, { learningRate: 1, weightDecay: 0 }, { rho, epsilon }, ['rho', 'epsilon']);
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    return { squareAvg: { shape, init: 'zeros' }, accDelta: { shape, init: 'zeros' } };
  }

  protected update({ param, grad, slots, lr, weightDecay }: UpdateContext): void {
    const r = this.rho;
    const g = weightDecay === 0 ? grad : tf.add(grad, tf.mul(param, weightDecay));
    const sq = tf.add(tf.mul(slots.squareAvg, r), tf.mul(tf.square(g), 1 - r));
    const delta = tf.mul(tf.div(tf.sqrt(tf.add(slots.accDelta, this.epsilon)), tf.sqrt(tf.add(sq, this.epsilon))), g);
    slots.squareAvg.assign(sq);
    slots.accDelta.assign(tf.add(tf.mul(slots.accDelta, r), tf.mul(tf.square(delta), 1 - r)));
    param.assign(tf.sub(param, tf.mul(delta, lr)));
  }
}

/**
 * Adadelta (Zeiler, https://arxiv.org/abs/1212.5701), the update of `torch.optim.Adadelta`:
 * `g ← ∇ + λθ; s ← ρs + (1−ρ)g²; Δ = √(a + ε)/√(s + ε) · g; a ← ρa + (1−ρ)Δ²; θ ← θ − η·Δ`.
 * Slots: `squareAvg`, `accDelta`.
 *
 * @param options - {@link AdadeltaOptions}.
 * @returns an {@link Optimizer} named `'adadelta'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.adadelta({ rho: 0.95 });
 * ```
 */
export function adadelta(options: AdadeltaOptions = {}): Optimizer {
  return new Adadelta(options);
}

import { tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import { checkUnitInterval } from './validate.js';

/**
 * Options of {@link lion}.
 *
 * @example
 * ```ts
 * const options: LionOptions = { learningRate: 1e-4, beta1: 0.9, beta2: 0.99, weightDecay: 0.1 };
 * ```
 */
export interface LionOptions extends BaseOptimizerOptions {
  /** Default 1e-4 (3–10× smaller than AdamW's, as the paper advises). */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Interpolation of the update direction, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the momentum, in [0, 1); default 0.99. */
  beta2?: number;
  /** Decoupled weight decay λ; default 0. */
  weightDecay?: number;
}

class Lion extends BaseOptimizer {
  constructor(
    options: LionOptions,
    private readonly beta1 = checkUnitInterval('lion', 'beta1', options.beta1 ?? 0.9),
    private readonly beta2 = checkUnitInterval('lion', 'beta2', options.beta2 ?? 0.99),
  ) {
    super('lion', { ...options }, { learningRate: 1e-4, weightDecay: 0 }, { beta1, beta2 }, ['beta1', 'beta2']);
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    return { m: { shape, init: 'zeros' } };
  }

  protected update({ param, grad, slots, lr, weightDecay }: UpdateContext): void {
    const c = tf.add(tf.mul(slots.m, this.beta1), tf.mul(grad, 1 - this.beta1));
    const direction = weightDecay === 0 ? tf.sign(c) : tf.add(tf.sign(c), tf.mul(param, weightDecay));
    param.assign(tf.sub(param, tf.mul(direction, lr)));
    slots.m.assign(tf.add(tf.mul(slots.m, this.beta2), tf.mul(grad, 1 - this.beta2)));
  }
}

/**
 * Lion, evolved sign momentum (Chen et al., https://arxiv.org/abs/2302.06675, Algorithm 2):
 * `c = β₁m + (1−β₁)g; θ ← θ − η(sign(c) + λθ); m ← β₂m + (1−β₂)g`. Slot: `m`.
 *
 * @param options - {@link LionOptions}.
 * @returns an {@link Optimizer} named `'lion'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.lion({ learningRate: 1e-4, weightDecay: 0.1 });
 * ```
 */
export function lion(options: LionOptions = {}): Optimizer {
  return new Lion(options);
}

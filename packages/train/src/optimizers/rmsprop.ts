import { tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import { checkBoolean, checkNonNegative, checkUnitInterval } from './validate.js';

/**
 * Options of {@link rmsprop}.
 *
 * @example
 * ```ts
 * const options: RmspropOptions = { learningRate: 1e-3, alpha: 0.9, centered: true, momentum: 0.9 };
 * ```
 */
export interface RmspropOptions extends BaseOptimizerOptions {
  /** Default 1e-2. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Decay of the mean square, in [0, 1); default 0.99. */
  alpha?: number;
  /** Added to the root mean square, > 0; default 1e-8. */
  epsilon?: number;
  /** Momentum factor in [0, 1); default 0. */
  momentum?: number;
  /** Divide by an estimate of the variance (mean square minus the squared mean gradient); default false. */
  centered?: boolean;
}

class Rmsprop extends BaseOptimizer {
  constructor(
    options: RmspropOptions,
    private readonly alpha = checkUnitInterval('rmsprop', 'alpha', options.alpha ?? 0.99),
    private readonly epsilon = checkNonNegative('rmsprop', 'epsilon', options.epsilon ?? 1e-8, true),
    private readonly momentum = checkUnitInterval('rmsprop', 'momentum', options.momentum ?? 0),
    private readonly centered = checkBoolean('rmsprop', 'centered', options.centered ?? false),
  ) {
    super('rmsprop', { ...options }, { learningRate: 1e-2, weightDecay: 0 }, { alpha, epsilon, momentum, centered }, [
      'alpha',
      'epsilon',
      'momentum',
      'centered',
    ]);
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    const slots: Record<string, SlotSpec> = { squareAvg: { shape, init: 'zeros' } };
    if (this.centered) slots.gradAvg = { shape, init: 'zeros' };
    if (this.momentum > 0) slots.momentum = { shape, init: 'zeros' };
    return slots;
  }

  protected update({ param, grad, slots, lr, weightDecay }: UpdateContext): void {
    const a = this.alpha;
    const g = weightDecay === 0 ? grad : tf.add(grad, tf.mul(param, weightDecay));
    const sq = tf.add(tf.mul(slots.squareAvg, a), tf.mul(tf.square(g), 1 - a));
    slots.squareAvg.assign(sq);
    let variance: tf.Tensor = sq;
    if (this.centered) {
      const ga = tf.add(tf.mul(slots.gradAvg, a), tf.mul(g, 1 - a));
      slots.gradAvg.assign(ga);
      variance = tf.sub(sq, tf.square(ga));
    }
    const avg = tf.add(tf.sqrt(variance), this.epsilon);
    let step = tf.div(g, avg);
    if (this.momentum > 0) {
      step = tf.add(tf.mul(slots.momentum, this.momentum), step);
      slots.momentum.assign(step);
    }
    param.assign(tf.sub(param, tf.mul(step, lr)));
  }
}

/**
 * RMSprop (Hinton, lecture 6e; centered form from Graves, https://arxiv.org/abs/1308.0850), the
 * update of `torch.optim.RMSprop`: `g ← ∇ + λθ; s ← αs + (1−α)g²`; centered: `ḡ ← αḡ + (1−α)g`,
 * `d = √(s − ḡ²) + ε`, else `d = √s + ε`; `b ← μb + g/d; θ ← θ − η·b` (or `θ − η·g/d` without
 * momentum). Slots: `squareAvg`, `gradAvg` (centered), `momentum` (μ > 0).
 *
 * @param options - {@link RmspropOptions}.
 * @returns an {@link Optimizer} named `'rmsprop'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.rmsprop({ learningRate: 1e-3, centered: true });
 * ```
 */
export function rmsprop(options: RmspropOptions = {}): Optimizer {
  return new Rmsprop(options);
}

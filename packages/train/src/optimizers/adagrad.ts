import { tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import { checkNonNegative } from './validate.js';

/**
 * Options of {@link adagrad}.
 *
 * @example
 * ```ts
 * const options: AdagradOptions = { learningRate: 0.1, initialAccumulator: 0.1 };
 * ```
 */
export interface AdagradOptions extends BaseOptimizerOptions {
  /** Default 1e-2. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Rate decay: the t-th update uses `η / (1 + (t−1)·lrDecay)`; default 0. */
  lrDecay?: number;
  /** The sum of squares starts at this value, ≥ 0; default 0. */
  initialAccumulator?: number;
  /** Added to the root of the sum, > 0; default 1e-10. */
  epsilon?: number;
}

class Adagrad extends BaseOptimizer {
  constructor(
    options: AdagradOptions,
    private readonly lrDecay = checkNonNegative('adagrad', 'lrDecay', options.lrDecay ?? 0),
    private readonly initialAccumulator = checkNonNegative('adagrad', 'initialAccumulator', options.initialAccumulator ?? 0),
    private readonly epsilon = checkNonNegative('adagrad', 'epsilon', options.epsilon ?? 1e-10, true),
  ) {
    super('adagrad', { ...options }, { learningRate: 1e-2, weightDecay: 0 }, { lrDecay, initialAccumulator, epsilon }, [
      'lrDecay',
      'initialAccumulator',
      'epsilon',
    ]);
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    return { sum: { shape, init: this.initialAccumulator } };
  }

  protected update({ param, grad, slots, lr, weightDecay, step }: UpdateContext): void {
    const g = weightDecay === 0 ? grad : tf.add(grad, tf.mul(param, weightDecay));
    const sum = tf.add(slots.sum, tf.square(g));
    slots.sum.assign(sum);
    const clr = lr / (1 + (step - 1) * this.lrDecay);
    param.assign(tf.sub(param, tf.mul(tf.div(g, tf.add(tf.sqrt(sum), this.epsilon)), clr)));
  }
}

/**
 * Adagrad (Duchi et al., https://jmlr.org/papers/v12/duchi11a.html), the update of
 * `torch.optim.Adagrad`: `g ← ∇ + λθ; s ← s + g²; θ ← θ − η/(1 + (t−1)·decay) · g/(√s + ε)`.
 * Slot: `sum`.
 *
 * @param options - {@link AdagradOptions}.
 * @returns an {@link Optimizer} named `'adagrad'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.adagrad({ learningRate: 0.1 });
 * ```
 */
export function adagrad(options: AdagradOptions = {}): Optimizer {
  return new Adagrad(options);
}

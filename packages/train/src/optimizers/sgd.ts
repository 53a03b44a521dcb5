import { ConfigError, tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import { checkBoolean, checkUnitInterval } from './validate.js';

/**
 * Options of {@link sgd}.
 *
 * @example
 * ```ts
 * const options: SgdOptions = { learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4 };
 * ```
 */
export interface SgdOptions extends BaseOptimizerOptions {
  /** Default 0.01. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Momentum factor μ in [0, 1); default 0 (plain SGD). */
  momentum?: number;
  /** Dampening of the momentum's gradient term, in [0, 1]; default 0. */
  dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0); default false. */
  nesterov?: boolean;
  /** L2 penalty λ added to the gradient (`g + λθ`, as `torch.optim.SGD`); default 0. */
  weightDecay?: number;
}

class Sgd extends BaseOptimizer {
  private readonly momentum: number;
  private readonly dampening: number;
  private readonly nesterov: boolean;

  constructor(options: SgdOptions) {
    const momentum = checkUnitInterval('sgd', 'momentum', options.momentum ?? 0);
    const dampening = checkUnitInterval('sgd', 'dampening', options.dampening ?? 0, true);
    const nesterov = checkBoolean('sgd', 'nesterov', options.nesterov ?? false);
    if (nesterov && (momentum === 0 || dampening !== 0)) {
      throw new ConfigError(
        `Optimizer 'sgd': nesterov expected momentum > 0 and dampening 0, got momentum ${momentum} and dampening ${dampening}`,
      );
    }
    super('sgd', { ...options }, { learningRate: 0.01, weightDecay: 0 }, { momentum, dampening, nesterov }, [
      'momentum',
      'dampening',
      'nesterov',
    ]);
    this.momentum = momentum;
    this.dampening = dampening;
    this.nesterov = nesterov;
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    return this.momentum > 0 ? { momentum: { shape, init: 'zeros' } } : {};
  }

  protected update({ param, grad, slots, lr, weightDecay, step }: UpdateContext): void {
    let g: tf.Tensor = grad;
    if (weightDecay !== 0) g = tf.add(g, tf.mul(param, weightDecay));
    if (this.momentum > 0) {
      const buf = slots.momentum;
      // The first step takes the gradient itself as the buffer (as torch.optim.SGD).
      const next = step === 1 ? g : tf.add(tf.mul(buf, this.momentum), tf.mul(g, 1 - this.dampening));
      buf.assign(next);
      g = this.nesterov ? tf.add(g, tf.mul(next, this.momentum)) : next;
    }
    param.assign(tf.sub(param, tf.mul(g, lr)));
  }
}

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay, the
 * update of `torch.optim.SGD`:
 * `g ← ∇ + λθ; b ← μb + (1−τ)g (b₁ = g); g ← nesterov ? g + μb : b; θ ← θ − η·g`.
 * Slot: `momentum` (when μ > 0).
 *
 * See Sutskever et al., "On the importance of initialization and momentum in deep learning"
 * (http://proceedings.mlr.press/v28/sutskever13.html).
 *
 * @param options - {@link SgdOptions}.
 * @returns an {@link Optimizer} named `'sgd'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 * opt.apply(model.trainableParameters(), grads);
 * ```
 */
export function sgd(options: SgdOptions = {}): Optimizer {
  return new Sgd(options);
}

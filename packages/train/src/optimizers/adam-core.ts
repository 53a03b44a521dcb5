import { tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import { checkBoolean, checkNonNegative, checkUnitInterval } from './validate.js';

/**
 * Options of {@link adam} and {@link adamW}.
 *
 * @example
 * ```ts
 * const options: AdamOptions = { learningRate: 3e-4, beta1: 0.9, beta2: 0.95, amsgrad: true };
 * ```
 */
export interface AdamOptions extends BaseOptimizerOptions {
  /** Default 1e-3. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the denominator, > 0; default 1e-8. */
  epsilon?: number;
  /** Keep the running maximum of the second moment (AMSGrad, Reddi et al. 2018); default false. */
  amsgrad?: boolean;
}

/** @internal Adam and AdamW: one update, with L2 (`adam`) or decoupled (`adamw`) weight decay. */
export class AdamFamily extends BaseOptimizer {
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly amsgrad: boolean;
  private readonly decoupled: boolean;

  constructor(name: 'adam' | 'adamw', options: AdamOptions, weightDecay: number) {
    const beta1 = checkUnitInterval(name, 'beta1', options.beta1 ?? 0.9);
    const beta2 = checkUnitInterval(name, 'beta2', options.beta2 ?? 0.999);
    const epsilon = checkNonNegative(name, 'epsilon', options.epsilon ?? 1e-8, true);
    const amsgrad = checkBoolean(name, 'amsgrad', options.amsgrad ?? false);
    super(name, { ...options }, { learningRate: 1e-3, weightDecay }, { beta1, beta2, epsilon, amsgrad }, [
      'beta1',
      'beta2',
      'epsilon',
      'amsgrad',
    ]);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.amsgrad = amsgrad;
    this.decoupled = name === 'adamw';
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    const slots: Record<string, SlotSpec> = { m: { shape, init: 'zeros' }, v: { shape, init: 'zeros' } };
    if (this.amsgrad) slots.vMax = { shape, init: 'zeros' };
    return slots;
  }

  protected update({ param, grad, slots, lr, weightDecay, step }: UpdateContext): void {
    let g: tf.Tensor = grad;
    let theta: tf.Tensor = param;
    if (weightDecay !== 0) {
      if (this.decoupled) theta = tf.mul(param, 1 - lr * weightDecay);
      else g = tf.add(g, tf.mul(param, weightDecay));
    }
    const { beta1: b1, beta2: b2 } = this;
    const m = tf.add(tf.mul(slots.m, b1), tf.mul(g, 1 - b1));
    const v = tf.add(tf.mul(slots.v, b2), tf.mul(tf.square(g), 1 - b2));
    slots.m.assign(m);
    slots.v.assign(v);
    let second: tf.Tensor = v;
    if (this.amsgrad) {
      second = tf.maximum(slots.vMax, v);
      slots.vMax.assign(second);
    }
    const bc1 = 1 - b1 ** step;
    const bc2 = 1 - b2 ** step;
    // θ ← θ − (η / bc1) · m / (√v / √bc2 + ε), the order of torch.optim.Adam.
    const denom = tf.add(tf.div(tf.sqrt(second), Math.sqrt(bc2)), this.epsilon);
    param.assign(tf.sub(theta, tf.mul(tf.div(m, denom), lr / bc1)));
  }
}

import { tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import { checkNonNegative } from './validate.js';
import { ConfigError } from '@tensorloom/core';

/**
 * Options of {@link adafactor}.
 *
 * @example
 * ```ts
 * const options: AdafactorOptions = { learningRate: 1e-2, beta2Decay: -0.8, clipThreshold: 1 };
 * ```
 */
export interface AdafactorOptions extends BaseOptimizerOptions {
  /** The relative step's cap: the t-th update uses `ρₜ = min(η, 1/√t)`; default 1e-2. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** c in `1 − β₂ₜ = t^c`, ≤ 0; default −0.8. */
  beta2Decay?: number;
  /** ε₁, the floor of the second-moment estimate (squared); default float32's machine epsilon. */
  epsilon1?: number;
  /** ε₂, the floor of the parameter's RMS in the relative step; default 1e-3. */
  epsilon2?: number;
  /** d, the update's RMS clipping threshold, > 0; default 1. */
  clipThreshold?: number;
  /** Decoupled weight decay λ (`θ ← θ(1 − ηλ)`); default 0. */
  weightDecay?: number;
}

const FLOAT32_EPS = 1.1920928955078125e-7;

class Adafactor extends BaseOptimizer {
  private readonly beta2Decay: number;

  constructor(
    options: AdafactorOptions,
    private readonly epsilon1 = checkNonNegative('adafactor', 'epsilon1', options.epsilon1 ?? FLOAT32_EPS, true),
    private readonly epsilon2 = checkNonNegative('adafactor', 'epsilon2', options.epsilon2 ?? 1e-3, true),
    private readonly clipThreshold = checkNonNegative('adafactor', 'clipThreshold', options.clipThreshold ?? 1, true),
  ) {
    const beta2Decay = options.beta2Decay ?? -0.8;
    if (typeof beta2Decay !== 'number' || !(beta2Decay <= 0)) {
      throw new ConfigError(`Optimizer 'adafactor': beta2Decay expected a number ≤ 0, got ${JSON.stringify(beta2Decay)}`);
    }
    super('adafactor', { ...options }, { learningRate: 1e-2, weightDecay: 0 }, { beta2Decay, epsilon1, epsilon2, clipThreshold }, [
      'beta2Decay',
      'epsilon1',
      'epsilon2',
      'clipThreshold',
    ]);
    this.beta2Decay = beta2Decay;
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    if (shape.length < 2) return { variance: { shape, init: 'zeros' } };
    // Factored over the last two axes: row statistics [..., R, 1] and column statistics [..., 1, C].
    const row = [...shape.slice(0, -1), 1];
    const col = [...shape.slice(0, -2), 1, shape[shape.length - 1]];
    return { rowVar: { shape: row, init: 'zeros' }, colVar: { shape: col, init: 'zeros' } };
  }

  protected update({ param, grad, slots, lr, weightDecay, step }: UpdateContext): void {
    const w = step ** this.beta2Decay; // 1 − β₂ₜ
    const rho = Math.min(lr, 1 / Math.sqrt(step));
    const size = Math.max(param.size, 1);
    // α = max(ε₂, RMS(θ)) · ρₜ, from the weights before decay.
    const alpha = tf.mul(tf.maximum(tf.div(tf.norm(param), Math.sqrt(size)), this.epsilon2), rho);
    const theta = weightDecay === 0 ? param : tf.mul(param, 1 - lr * weightDecay);
    const g2 = tf.square(grad);
    let variance: tf.Tensor;
    if (param.rank >= 2) {
      const row = tf.add(slots.rowVar, tf.mul(tf.sub(tf.mean(g2, -1, true), slots.rowVar), w)); // (..., R, 1)
      const col = tf.add(slots.colVar, tf.mul(tf.sub(tf.mean(g2, -2, true), slots.colVar), w)); // (..., 1, C)
      slots.rowVar.assign(row);
      slots.colVar.assign(col);
      variance = tf.div(tf.mul(row, col), tf.maximum(tf.mean(row, -2, true), this.epsilon1)); // (..., R, C)
    } else {
      variance = tf.add(slots.variance, tf.mul(tf.sub(g2, slots.variance), w));
      slots.variance.assign(variance);
    }
    const u = tf.mul(tf.rsqrt(tf.maximum(variance, this.epsilon1 * this.epsilon1)), grad);
    const denom = tf.maximum(tf.div(tf.norm(u), Math.sqrt(size) * this.clipThreshold), 1);
    param.assign(tf.sub(theta, tf.mul(u, tf.div(alpha, denom))));
  }
}

/**
 * Adafactor (Shazeer & Stern, https://arxiv.org/abs/1804.04235), the update of
 * `torch.optim.Adafactor`: second moments factored over the last two axes (rows `R`, columns `C`),
 * `1 − β₂ₜ = t^c`, relative step `α = max(ε₂, RMS(θ))·min(η, 1/√t)`, `V̂ = R·C / mean(R)`,
 * `u = g/√max(V̂, ε₁²)`, `θ ← θ(1 − ηλ) − α·u / max(1, RMS(u)/d)`. No first moment. Slots:
 * `rowVar`, `colVar` (rank ≥ 2) or `variance`.
 *
 * @param options - {@link AdafactorOptions}.
 * @returns an {@link Optimizer} named `'adafactor'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.adafactor({ learningRate: 1e-2 });
 * ```
 */
export function adafactor(options: AdafactorOptions = {}): Optimizer {
  return new Adafactor(options);
}

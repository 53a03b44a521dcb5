import { ValueError, tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import { checkNonNegative, checkUnitInterval } from './validate.js';
import { ConfigError } from '@tensorloom/core';

/**
 * Options of {@link scheduleFreeAdamW}.
 *
 * @example
 * ```ts
 * const options: ScheduleFreeAdamWOptions = { learningRate: schedules.linearWarmup({ steps: 100, then: 2.5e-3 }) };
 * ```
 */
export interface ScheduleFreeAdamWOptions extends BaseOptimizerOptions {
  /** γ, default 2.5e-3; warm it up with `schedules.linearWarmup` and keep it constant afterwards. */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** The interpolation β₁ in (0, 1) between the averaged and the base iterate; default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to the denominator, > 0; default 1e-8. */
  epsilon?: number;
  /** λ, applied at the gradient point y as in the paper; default 0. */
  weightDecay?: number;
}

class ScheduleFreeAdamW extends BaseOptimizer {
  private mode: 'train' | 'eval' = 'train';
  private weightSums = new Map<string, number>();

  constructor(
    options: ScheduleFreeAdamWOptions,
    private readonly beta1 = checkUnitInterval('schedule_free_adamw', 'beta1', options.beta1 ?? 0.9),
    private readonly beta2 = checkUnitInterval('schedule_free_adamw', 'beta2', options.beta2 ?? 0.999),
    private readonly epsilon = checkNonNegative('schedule_free_adamw', 'epsilon', options.epsilon ?? 1e-8, true),
  ) {
    if (beta1 === 0) {
      throw new ConfigError("Optimizer 'schedule_free_adamw': beta1 expected a number in (0, 1), got 0");
    }
    super('schedule_free_adamw', { ...options }, { learningRate: 2.5e-3, weightDecay: 0 }, { beta1, beta2, epsilon }, [
      'beta1',
      'beta2',
      'epsilon',
    ]);
  }

  protected slotSpecs(_path: string, shape: number[]): Record<string, SlotSpec> {
    return { z: { shape, init: 'param' }, v: { shape, init: 'zeros' } };
  }

  protected override beforeApply(): void {
    if (this.mode === 'eval') {
      throw new ValueError("Optimizer 'schedule_free_adamw': apply expected the training weights, got the evaluation weights swapped in", {
        help: 'call swapToTrainWeights(params) after evaluating and before the next update',
      });
    }
  }

  protected update({ path, param, grad, slots, lr, weightDecay, step }: UpdateContext): void {
    const { beta1: b1, beta2: b2 } = this;
    // param holds y = (1−β₁)z + β₁x, the point the gradient was taken at.
    const v = tf.add(tf.mul(slots.v, b2), tf.mul(tf.square(grad), 1 - b2));
    slots.v.assign(v);
    const gamma = lr * Math.sqrt(1 - b2 ** step);
    const weightSum = (this.weightSums.get(path) ?? 0) + gamma * gamma;
    this.weightSums.set(path, weightSum);
    const c = weightSum > 0 ? (gamma * gamma) / weightSum : 0;
    let d = tf.div(grad, tf.add(tf.sqrt(v), this.epsilon));
    if (weightDecay !== 0) d = tf.add(d, tf.mul(param, weightDecay));
    const z = slots.z;
    // y' = (1−c)·y + c·z + γ(β₁(1−c) − 1)·d follows from z' = z − γd and x' = (1−c)x + cz'.
    const y = tf.add(tf.add(tf.mul(param, 1 - c), tf.mul(z, c)), tf.mul(d, gamma * (b1 * (1 - c) - 1)));
    z.assign(tf.sub(z, tf.mul(d, gamma)));
    param.assign(y);
  }

  swapToEvalWeights(params: Record<string, tf.Variable>): void {
    if (this.mode === 'eval') return;
    // x = y + (1 − 1/β₁)(z − y)
    this.lerpToward(params, 1 - 1 / this.beta1);
    this.mode = 'eval';
  }

  swapToTrainWeights(params: Record<string, tf.Variable>): void {
    if (this.mode === 'train') return;
    // y = x + (1 − β₁)(z − x)
    this.lerpToward(params, 1 - this.beta1);
    this.mode = 'train';
  }

  private lerpToward(params: Record<string, tf.Variable>, w: number): void {
    tf.tidy(() => {
      for (const [path, p] of Object.entries(params)) {
        const z = this.slotsOf(path)?.z;
        if (z !== undefined) p.assign(tf.add(p, tf.mul(tf.sub(z, p), w)));
      }
    });
  }

  protected override extraState(): Record<string, unknown> {
    return { mode: this.mode, weightSums: Object.fromEntries(this.weightSums) };
  }

  protected override loadExtraState(extra: Record<string, unknown>): () => void {
    const mode = extra.mode ?? 'train';
    if (mode !== 'train' && mode !== 'eval') {
      throw new ValueError(`Optimizer 'schedule_free_adamw': setState config.extra.mode expected 'train' or 'eval', got ${JSON.stringify(mode)}`);
    }
    const sums = (extra.weightSums ?? {}) as Record<string, unknown>;
    for (const [k, s] of Object.entries(sums)) {
      if (typeof s !== 'number' || !(s >= 0)) {
        throw new ValueError(`Optimizer 'schedule_free_adamw': setState config.extra.weightSums['${k}'] expected a number ≥ 0, got ${JSON.stringify(s)}`);
      }
    }
    return () => {
      this.mode = mode;
      this.weightSums = new Map(Object.entries(sums) as [string, number][]);
    };
  }
}

/**
 * Schedule-Free AdamW (Defazio et al., "The Road Less Scheduled", https://arxiv.org/abs/2405.15682,
 * Algorithm 1): no decay schedule needed. With `y = (1−β₁)z + β₁x` the gradient point,
 * `v ← β₂v + (1−β₂)g²`, `γₜ = γ·√(1−β₂ᵗ)`, `z ← z − γₜ(g/(√v + ε) + λy)`, `cₜ = γₜ²/Σγᵢ²`,
 * `x ← (1−cₜ)x + cₜz`. The parameters hold `y` during training; the averaged `x` is what to evaluate:
 * call `swapToEvalWeights(params)` before evaluating, predicting or saving, `swapToTrainWeights`
 * after (`fit` does). Slots: `z`, `v`.
 *
 * The `c` weights use each step's bias-corrected rate, as the paper's pseudo-code (the authors'
 * PyTorch package weights by the largest rate so far without the correction; the two agree once
 * `β₂ᵗ ≈ 0` at a constant rate).
 *
 * @param options - {@link ScheduleFreeAdamWOptions}.
 * @returns an {@link Optimizer} named `'schedule_free_adamw'` with `swapToEvalWeights`/`swapToTrainWeights`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.scheduleFreeAdamW({ learningRate: 2.5e-3 });
 * opt.apply(params, grads);
 * opt.swapToEvalWeights!(params); // evaluate…
 * opt.swapToTrainWeights!(params);
 * ```
 */
export function scheduleFreeAdamW(options: ScheduleFreeAdamWOptions = {}): Optimizer {
  return new ScheduleFreeAdamW(options);
}

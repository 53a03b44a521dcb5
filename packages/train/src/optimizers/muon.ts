import { ConfigError, tf } from '@tensorloom/core';

import { BaseOptimizer } from './base.js';
import type { BaseOptimizerOptions, SlotSpec, UpdateContext } from './base.js';
import type { Optimizer } from './optimizer.js';
import type { Schedule } from '../schedules/schedule.js';
import { checkBoolean, checkKnownOptions, checkLearningRate, checkNonNegative, checkUnitInterval } from './validate.js';

/**
 * The AdamW that {@link muon} runs for the parameters it does not orthogonalize.
 *
 * @example
 * ```ts
 * const adamw: MuonAdamWOptions = { learningRate: 3e-4, weightDecay: 0 };
 * ```
 */
export interface MuonAdamWOptions {
  /** Default 1e-3. */
  learningRate?: number | Schedule;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** Decoupled weight decay; default 0.01. */
  weightDecay?: number;
}

/**
 * Options of {@link muon}.
 *
 * @example
 * ```ts
 * const options: MuonOptions = { learningRate: 0.02, momentum: 0.95, adamw: { learningRate: 3e-4 } };
 * ```
 */
export interface MuonOptions extends BaseOptimizerOptions {
  /** The rate of the Muon (2-D) parameters; default 1e-3 (`torch.optim.Muon`'s). */
  learningRate?: BaseOptimizerOptions['learningRate'];
  /** Decoupled weight decay of the Muon parameters; default 0.1. */
  weightDecay?: number;
  /** Momentum μ in [0, 1); default 0.95. */
  momentum?: number;
  /** Nesterov momentum; default true. */
  nesterov?: boolean;
  /** Newton–Schulz iterations, an integer in [1, 100); default 5. */
  nsSteps?: number;
  /** The quintic's coefficients (a, b, c); default (3.4445, −4.775, 2.0315). */
  nsCoefficients?: readonly [number, number, number];
  /** Floor of the Frobenius norm the update is divided by, > 0; default 1e-7. */
  epsilon?: number;
  /** `'original'` scales the rate by √max(1, rows/cols); `'match_rms_adamw'` by 0.2·√max(rows, cols); default `'original'`. */
  adjustLr?: 'original' | 'match_rms_adamw';
  /**
   * Which parameters of rank ≥ 2 Muon updates; default the rank-2 ones. A parameter of higher rank
   * (a conv kernel `[kh, kw, in, out]`) is orthogonalized as the matrix `[kh·kw·in, out]`. The rest
   * go to AdamW.
   */
  useMuon?: (path: string, shape: readonly number[]) => boolean;
  /** AdamW for the other parameters (unless a group sets their rate or decay): defaults rate 1e-3, betas 0.9/0.999, ε 1e-8, decay 0.01. */
  adamw?: MuonAdamWOptions;
}

class Muon extends BaseOptimizer {
  private readonly momentum: number;
  private readonly nesterov: boolean;
  private readonly nsSteps: number;
  private readonly coefficients: readonly [number, number, number];
  private readonly epsilon: number;
  private readonly adjustLr: 'original' | 'match_rms_adamw';
  private readonly useMuon: (path: string, shape: readonly number[]) => boolean;
  private readonly adam: { learningRate: number | Schedule; beta1: number; beta2: number; epsilon: number; weightDecay: number };

  constructor(options: MuonOptions) {
    const n = 'muon';
    const momentum = checkUnitInterval(n, 'momentum', options.momentum ?? 0.95);
    const nesterov = checkBoolean(n, 'nesterov', options.nesterov ?? true);
    const nsSteps = options.nsSteps ?? 5;
    if (!Number.isInteger(nsSteps) || nsSteps < 1 || nsSteps >= 100) {
      throw new ConfigError(`Optimizer 'muon': nsSteps expected an integer in [1, 100), got ${JSON.stringify(nsSteps)}`);
    }
    const coefficients = options.nsCoefficients ?? ([3.4445, -4.775, 2.0315] as const);
    if (!Array.isArray(coefficients) || coefficients.length !== 3 || !coefficients.every(Number.isFinite)) {
      throw new ConfigError(`Optimizer 'muon': nsCoefficients expected three finite numbers, got ${JSON.stringify(coefficients)}`);
    }
    const epsilon = checkNonNegative(n, 'epsilon', options.epsilon ?? 1e-7, true);
    const adjustLr = options.adjustLr ?? 'original';
    if (adjustLr !== 'original' && adjustLr !== 'match_rms_adamw') {
      throw new ConfigError(`Optimizer 'muon': adjustLr expected 'original' or 'match_rms_adamw', got ${JSON.stringify(adjustLr)}`);
    }
    const useMuon = options.useMuon ?? ((_p: string, shape: readonly number[]) => shape.length === 2);
    if (typeof useMuon !== 'function') {
      throw new ConfigError(`Optimizer 'muon': useMuon expected a function of (path, shape), got ${typeof useMuon}`);
    }
    const a = options.adamw ?? {};
    checkKnownOptions(n, a, ['learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay']);
    const adam = {
      learningRate: checkLearningRate(n, 'adamw.learningRate', a.learningRate ?? 1e-3),
      beta1: checkUnitInterval(n, 'adamw.beta1', a.beta1 ?? 0.9),
      beta2: checkUnitInterval(n, 'adamw.beta2', a.beta2 ?? 0.999),
      epsilon: checkNonNegative(n, 'adamw.epsilon', a.epsilon ?? 1e-8, true),
      weightDecay: checkNonNegative(n, 'adamw.weightDecay', a.weightDecay ?? 0.01),
    };
    super(
      n,
      { ...options },
      { learningRate: 1e-3, weightDecay: 0.1 },
      {
        momentum,
        nesterov,
        nsSteps,
        nsCoefficients: [...coefficients],
        epsilon,
        adjustLr,
        adamw: { ...adam, learningRate: typeof adam.learningRate === 'number' ? adam.learningRate : adam.learningRate.config },
      },
      ['momentum', 'nesterov', 'nsSteps', 'nsCoefficients', 'epsilon', 'adjustLr', 'useMuon', 'adamw'],
    );
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.nsSteps = nsSteps;
    this.coefficients = coefficients;
    this.epsilon = epsilon;
    this.adjustLr = adjustLr;
    this.useMuon = useMuon;
    this.adam = adam;
  }

  protected slotSpecs(path: string, shape: number[]): Record<string, SlotSpec> {
    // Muon needs a matrix; a rank-1 or rank-0 parameter always goes to AdamW.
    if (shape.length >= 2 && this.useMuon(path, shape)) return { momentum: { shape, init: 'zeros' } };
    return { m: { shape, init: 'zeros' }, v: { shape, init: 'zeros' } };
  }

  protected update(ctx: UpdateContext): void {
    if ('momentum' in ctx.slots) this.muonUpdate(ctx);
    else this.adamUpdate(ctx);
  }

  private muonUpdate({ param, grad, slots, lr, weightDecay }: UpdateContext): void {
    const mu = this.momentum;
    const buf = tf.add(tf.mul(slots.momentum, mu), tf.mul(grad, 1 - mu));
    slots.momentum.assign(buf);
    const direction = this.nesterov ? tf.add(tf.mul(grad, 1 - mu), tf.mul(buf, mu)) : buf;
    // A conv kernel [kh, kw, in, out] is orthogonalized as the matrix [kh·kw·in, out].
    const cols = param.shape[param.rank - 1];
    const rows = param.size / Math.max(cols, 1);
    const matrix = param.rank === 2 ? direction : tf.reshape(direction, [rows, cols]);
    const ortho = tf.reshape(newtonSchulz(matrix, this.coefficients, this.nsSteps, this.epsilon), param.shape);
    const ratio = this.adjustLr === 'original' ? Math.sqrt(Math.max(1, rows / cols)) : 0.2 * Math.sqrt(Math.max(rows, cols));
    const decayed = weightDecay === 0 ? param : tf.mul(param, 1 - lr * weightDecay);
    param.assign(tf.sub(decayed, tf.mul(ortho, lr * ratio)));
  }

  private adamUpdate({ path, param, grad, slots, step }: UpdateContext): void {
    const { beta1: b1, beta2: b2, epsilon } = this.adam;
    // A group that matches sets the rate and decay of these parameters too; else the adamw options.
    const inGroup = this.groupIndex(path) >= 0;
    const group = this.groupOf(path);
    const lr = this.rateAt(inGroup ? group.learningRate : this.adam.learningRate);
    const weightDecay = inGroup ? group.weightDecay : this.adam.weightDecay;
    const m = tf.add(tf.mul(slots.m, b1), tf.mul(grad, 1 - b1));
    const v = tf.add(tf.mul(slots.v, b2), tf.mul(tf.square(grad), 1 - b2));
    slots.m.assign(m);
    slots.v.assign(v);
    const theta = weightDecay === 0 ? param : tf.mul(param, 1 - lr * weightDecay);
    const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(1 - b2 ** step)), epsilon);
    param.assign(tf.sub(theta, tf.mul(tf.div(m, denom), lr / (1 - b1 ** step))));
  }
}

/**
 * @internal The quintic Newton–Schulz iteration of `torch.optim.Muon` (in float32, where torch
 * runs it in bfloat16): `X ← G/max(‖G‖_F, ε)` (transposed when rows > cols), then
 * `A = XXᵀ; X ← aX + (bA + cA²)X` `steps` times.
 */
export function newtonSchulz(g: tf.Tensor, [a, b, c]: readonly [number, number, number], steps: number, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const [rows, cols] = g.shape as number[];
    const tall = rows > cols;
    let x = (tall ? tf.transpose(g) : g) as tf.Tensor2D;
    x = tf.div(x, tf.maximum(tf.norm(x), eps));
    for (let i = 0; i < steps; i++) {
      const gram = tf.matMul(x, x, false, true);
      const poly = tf.add(tf.mul(gram, b), tf.mul(tf.matMul(gram, gram), c));
      x = tf.add(tf.mul(x, a), tf.matMul(poly, x));
    }
    return tall ? tf.transpose(x) : x;
  });
}

/**
 * Muon, momentum orthogonalized by Newton–Schulz (Jordan et al.,
 * https://kellerjordan.github.io/posts/muon/), the update of `torch.optim.Muon` for the 2-D weights:
 * `b ← μb + (1−μ)g; u = nesterov ? (1−μ)g + μb : b; O = NS₅(u)`,
 * `θ ← θ(1 − ηλ) − η·√max(1, rows/cols)·O`; every other parameter (biases, norms, or whatever
 * `useMuon` rejects) gets AdamW with the `adamw` options. Slots: `momentum` (Muon) or `m`, `v` (AdamW).
 * The iteration runs in float32 (PyTorch's in bfloat16).
 *
 * @param options - {@link MuonOptions}.
 * @returns an {@link Optimizer} named `'muon'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.muon({ learningRate: 0.02, adamw: { learningRate: 3e-4 } });
 * ```
 */
export function muon(options: MuonOptions = {}): Optimizer {
  return new Muon(options);
}

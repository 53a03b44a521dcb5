import { ConfigError, ShapeError, ValueError, formatShape, tf } from '@tensorloom/core';

import type { OptimizerState } from '../optimizers/optimizer.js';

/**
 * An exponential moving average of the weights, keyed by dotted parameter path.
 *
 * @example
 * ```ts
 * const avg: WeightsEma = ema({ decay: 0.999 });
 * avg.update(model.trainableParameters()); // after each optimizer step
 * avg.swap(model.trainableParameters());   // evaluate on the averages…
 * avg.swap(model.trainableParameters());   // …and back
 * ```
 */
export interface WeightsEma {
  /** Folds the current weights into the averages (the first call copies them). */
  update(params: Record<string, tf.Variable>): void;
  /** Swaps the averages and the live weights in place; call twice to undo. */
  swap(params: Record<string, tf.Variable>): void;
  /** A copy of the averages (`<path>/ema`) and the update count; the caller disposes the tensors. */
  getState(): OptimizerState;
  /** Restores {@link WeightsEma.getState}'s result; checks everything before it changes anything. */
  setState(s: OptimizerState): void;
  /** Frees the averages. */
  dispose(): void;
}

/**
 * Options of {@link ema}.
 *
 * @example
 * ```ts
 * const options: EmaOptions = { decay: 0.999, warmup: true };
 * ```
 */
export interface EmaOptions {
  /** The decay d in [0, 1): `avg ← d·avg + (1−d)·θ`. */
  decay: number;
  /** Use `min(d, (1 + n)/(10 + n))` at the n-th update (0-based), as TensorFlow's `ExponentialMovingAverage(num_updates)`; default false. */
  warmup?: boolean;
}

/**
 * An exponential moving average of the weights for evaluation, the rule of
 * `torch.optim.swa_utils.AveragedModel` with `get_ema_multi_avg_fn(decay)`: the first update copies
 * the weights, each later one sets `avg ← d·avg + (1−d)·θ` (`d` optionally warmed up). Use `swap`
 * to evaluate, save or predict on the averages, as Keras' `SwapEMAWeights` does.
 *
 * @param options - {@link EmaOptions}.
 * @returns a {@link WeightsEma}.
 * @throws ConfigError when `decay` is outside [0, 1).
 * @example
 * ```ts
 * const avg = ema({ decay: 0.99 });
 * trainStep({ model, optimizer, loss, ema: avg });
 * ```
 */
export function ema(options: EmaOptions): WeightsEma {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`ema: options expected { decay, warmup? }, got ${String(options)}`);
  }
  const { decay } = options;
  if (typeof decay !== 'number' || !(decay >= 0 && decay < 1)) {
    throw new ConfigError(`ema: decay expected a number in [0, 1), got ${String(decay)}`);
  }
  const warmup = options.warmup ?? false;
  if (typeof warmup !== 'boolean') throw new ConfigError(`ema: warmup expected a boolean, got ${JSON.stringify(warmup)}`);
  return new Ema(decay, warmup);
}

class Ema implements WeightsEma {
  private readonly averages = new Map<string, tf.Variable>();
  private updates = 0;

  constructor(
    private readonly decay: number,
    private readonly warmup: boolean,
  ) {}

  update(params: Record<string, tf.Variable>): void {
    const d = this.warmup ? Math.min(this.decay, (1 + this.updates) / (10 + this.updates)) : this.decay;
    for (const [path, p] of Object.entries(params)) {
      const avg = this.averages.get(path);
      if (avg !== undefined && !tf.util.arraysEqual(avg.shape, p.shape)) {
        throw new ShapeError(`ema: params['${path}'] expected shape ${formatShape(avg.shape)} (its average's), got ${formatShape(p.shape)}`);
      }
    }
    tf.tidy(() => {
      for (const [path, p] of Object.entries(params)) {
        const avg = this.averages.get(path);
        if (avg === undefined) {
          const copy = tf.clone(p);
          this.averages.set(path, tf.variable(copy, false));
        } else {
          avg.assign(tf.add(tf.mul(avg, d), tf.mul(p, 1 - d)));
        }
      }
    });
    this.updates += 1;
  }

  swap(params: Record<string, tf.Variable>): void {
    if (this.averages.size === 0) {
      throw new ValueError('ema: swap expected averages from at least one update(), got none', {
        help: 'call update(params) after each optimizer step before swapping',
      });
    }
    const pairs: [tf.Variable, tf.Variable][] = [];
    for (const [path, p] of Object.entries(params)) {
      const avg = this.averages.get(path);
      if (avg === undefined) continue; // a parameter the average has never seen stays live
      if (!tf.util.arraysEqual(avg.shape, p.shape)) {
        throw new ShapeError(`ema: params['${path}'] expected shape ${formatShape(avg.shape)} (its average's), got ${formatShape(p.shape)}`);
      }
      pairs.push([p, avg]);
    }
    tf.tidy(() => {
      for (const [p, avg] of pairs) {
        const live = tf.clone(p);
        p.assign(avg);
        avg.assign(live);
      }
    });
  }

  getState(): OptimizerState {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [path, avg] of this.averages) tensors[`${path}/ema`] = tf.clone(avg);
    return { tensors, config: { name: 'ema', decay: this.decay, warmup: this.warmup, updates: this.updates } };
  }

  setState(s: OptimizerState): void {
    if (s === null || typeof s !== 'object' || typeof s.tensors !== 'object' || typeof s.config !== 'object') {
      throw new ValueError(`ema: setState expected { tensors, config } from getState(), got ${String(s)}`);
    }
    const updates = s.config.updates;
    if (typeof updates !== 'number' || !Number.isInteger(updates) || updates < 0) {
      throw new ValueError(`ema: setState config.updates expected an integer ≥ 0, got ${JSON.stringify(updates)}`);
    }
    const next: [string, tf.Tensor][] = [];
    for (const [key, t] of Object.entries(s.tensors)) {
      if (!key.endsWith('/ema')) throw new ValueError(`ema: setState tensors expected keys '<path>/ema', got '${key}'`);
      if (t.dtype !== 'float32') throw new ValueError(`ema: setState tensors['${key}'] expected dtype float32, got ${t.dtype}`);
      next.push([key.slice(0, -'/ema'.length), t]);
    }
    this.dispose();
    for (const [path, t] of next) this.averages.set(path, tf.variable(t, false));
    this.updates = updates;
  }

  dispose(): void {
    for (const v of this.averages.values()) v.dispose();
    this.averages.clear();
    this.updates = 0;
  }
}

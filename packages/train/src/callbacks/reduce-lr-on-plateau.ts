import { ConfigError } from '@tensorloom/core';
import type { Callback } from './callback.js';
import { checkMonitor, monitored, resolveMode } from './monitor.js';
import type { Mode } from './monitor.js';

/**
 * Options of {@link reduceLrOnPlateau}.
 *
 * @example
 * ```ts
 * const o: ReduceLrOnPlateauOptions = { monitor: 'val.loss', factor: 0.5, patience: 2 };
 * ```
 */
export interface ReduceLrOnPlateauOptions {
  /** The epoch value to watch. Default `'val.loss'`. */
  monitor?: string;
  /** `'min'`, `'max'` or `'auto'`. Default `'auto'`. */
  mode?: Mode;
  /** Multiply the rate by this on a plateau, in (0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing. Default 10. */
  patience?: number;
  /** The smallest change that counts as an improvement. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Default 0. */
  cooldown?: number;
  /** The rate is never reduced below this. Default 0. */
  minLr?: number;
}

/**
 * Reduces the learning rate when a monitored value stops improving, by multiplying the
 * optimizer's `learningRateScale` (saved in its state, so a resume keeps it) — on top of any
 * schedule. Its plateau count and best value are saved in checkpoints too.
 *
 * @param options - what to watch and how much to reduce.
 * @returns the callback.
 * @throws ConfigError for a bad option.
 * @example
 * ```ts
 * callbacks.reduceLrOnPlateau({ monitor: 'val.loss', factor: 0.5, patience: 1 });
 * ```
 */
export function reduceLrOnPlateau(options: ReduceLrOnPlateauOptions = {}): Callback {
  const unit = 'reduceLrOnPlateau';
  const monitor = checkMonitor(unit, options.monitor ?? 'val.loss');
  const mode = resolveMode(unit, monitor, options.mode);
  const factor = options.factor ?? 0.1;
  if (!(factor > 0 && factor < 1)) throw new ConfigError(`${unit}: factor expected a number in (0, 1), got ${String(factor)}`);
  const patience = options.patience ?? 10;
  const cooldown = options.cooldown ?? 0;
  for (const [k, v] of [['patience', patience], ['cooldown', cooldown]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new ConfigError(`${unit}: ${k} expected an integer >= 0, got ${String(v)}`);
  }
  const minDelta = options.minDelta ?? 1e-4;
  const minLr = options.minLr ?? 0;
  if (!(minLr >= 0)) throw new ConfigError(`${unit}: minLr expected a number >= 0, got ${String(minLr)}`);
  let best = Infinity;
  let wait = 0;
  let cooling = 0;
  return {
    onTrainBegin() {
      best = mode === 'min' ? Infinity : -Infinity;
      wait = 0;
      cooling = 0;
    },
    onEpochEnd(ctx, _epoch, logs) {
      if (logs[monitor] === undefined && monitor.startsWith('val.') && Object.keys(logs).every((k) => !k.startsWith('val.'))) return;
      const value = monitored(unit, monitor, logs);
      const opt = ctx.optimizer;
      if (opt === null) throw new ConfigError(`${unit}: optimizer expected in the run, got none (a custom step without optimizers)`);
      if (cooling > 0) {
        cooling--;
        wait = 0;
      }
      if (mode === 'min' ? value < best - minDelta : value > best + minDelta) {
        best = value;
        wait = 0;
        return;
      }
      if (cooling > 0) return;
      wait++;
      if (wait >= patience) {
        const lr = opt.currentLearningRate();
        if (lr > minLr) {
          const target = Math.max(lr * factor, minLr);
          opt.learningRateScale = opt.learningRateScale * (target / lr);
          cooling = cooldown;
          wait = 0;
        }
      }
    },
    stateName: unit,
    getState() {
      return { tensors: {}, config: { best: Number.isFinite(best) ? best : null, wait, cooling } };
    },
    setState(state) {
      const saved = state.config['best'];
      best = typeof saved === 'number' ? saved : mode === 'min' ? Infinity : -Infinity;
      wait = Number(state.config['wait'] ?? 0);
      cooling = Number(state.config['cooling'] ?? 0);
    },
  };
}

import { ConfigError, tf } from '@tensorloom/core';
import type { Callback } from './callback.js';
import { checkMonitor, monitored, resolveMode } from './monitor.js';
import type { Mode } from './monitor.js';

/**
 * Options of {@link earlyStopping}.
 *
 * @example
 * ```ts
 * const o: EarlyStoppingOptions = { monitor: 'val.loss', patience: 3, restoreBestWeights: true };
 * ```
 */
export interface EarlyStoppingOptions {
  /** The epoch value to watch. Default `'val.loss'`. */
  monitor?: string;
  /** `'min'`, `'max'`, or `'auto'` (max for accuracy-like names). Default `'auto'`. */
  mode?: Mode;
  /** The smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** Stop unless the value beats this within `patience` epochs. Default none. */
  baseline?: number;
  /** Put the best epoch's weights back when this callback stops training. Default `false`. */
  restoreBestWeights?: boolean;
  /** Ignore epochs before this one (warm-up). Default 0. */
  startFromEpoch?: number;
}

/**
 * Stops training when a monitored value has stopped improving, as Keras' EarlyStopping, with
 * `restoreBestWeights` working (tfjs-layers throws NotImplementedError for it). The best
 * weights are kept as copies on the device. Its state (best value, patience count, best
 * weights) is saved in checkpoints, so a resumed run stops and restores as the whole run would.
 *
 * @param options - what to watch and how patiently.
 * @returns the callback.
 * @throws ConfigError for a bad option.
 * @example
 * ```ts
 * callbacks.earlyStopping({ monitor: 'val.loss', patience: 2, restoreBestWeights: true });
 * ```
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): Callback {
  const unit = 'earlyStopping';
  const monitor = checkMonitor(unit, options.monitor ?? 'val.loss');
  const mode = resolveMode(unit, monitor, options.mode);
  const minDelta = Math.abs(options.minDelta ?? 0);
  if (!Number.isFinite(minDelta)) throw new ConfigError(`${unit}: minDelta expected a finite number, got ${String(options.minDelta)}`);
  const patience = options.patience ?? 0;
  if (!Number.isInteger(patience) || patience < 0) throw new ConfigError(`${unit}: patience expected an integer >= 0, got ${String(patience)}`);
  const startFromEpoch = options.startFromEpoch ?? 0;
  if (!Number.isInteger(startFromEpoch) || startFromEpoch < 0) {
    throw new ConfigError(`${unit}: startFromEpoch expected an integer >= 0, got ${String(startFromEpoch)}`);
  }
  if (options.baseline !== undefined && !Number.isFinite(options.baseline)) {
    throw new ConfigError(`${unit}: baseline expected a finite number, got ${String(options.baseline)}`);
  }
  const better = (a: number, b: number): boolean => (mode === 'min' ? a < b - minDelta : a > b + minDelta);
  let best = Number.NaN;
  let wait = 0;
  let stoppedHere = false;
  let bestWeights: Record<string, tf.Tensor> | null = null;
  const clear = (): void => {
    if (bestWeights !== null) tf.dispose(Object.values(bestWeights));
    bestWeights = null;
  };
  return {
    onTrainBegin() {
      best = mode === 'min' ? Infinity : -Infinity;
      wait = 0;
      stoppedHere = false;
      clear();
    },
    onEpochEnd(ctx, epoch, logs) {
      if (epoch < startFromEpoch) return;
      if (logs[monitor] === undefined && monitor.startsWith('val.') && Object.keys(logs).every((k) => !k.startsWith('val.'))) return;
      const value = monitored(unit, monitor, logs);
      wait++;
      if (better(value, best)) {
        best = value;
        if (options.restoreBestWeights === true) {
          clear();
          bestWeights = Object.fromEntries(Object.entries(ctx.model.state()).map(([k, v]) => [k, tf.clone(v)]));
        }
        if (options.baseline === undefined || better(value, options.baseline)) {
          wait = 0;
          return;
        }
      }
      if (wait >= patience && epoch > 0) {
        stoppedHere = true;
        ctx.stop(`earlyStopping: ${monitor} did not improve on ${best} for ${wait} epoch(s)`);
      }
    },
    onTrainEnd(ctx) {
      if (stoppedHere && bestWeights !== null) ctx.model.loadState(bestWeights);
      clear();
    },
    // A resumed run goes on with the best value, the patience count and the best weights of
    // the run it continues (JSON has no Infinity: the untouched start is saved as null).
    stateName: unit,
    getState() {
      const tensors = bestWeights === null ? {} : Object.fromEntries(Object.entries(bestWeights).map(([k, v]) => [k, tf.clone(v)]));
      return { tensors, config: { best: Number.isFinite(best) ? best : null, wait } };
    },
    setState(state) {
      const saved = state.config['best'];
      best = typeof saved === 'number' ? saved : mode === 'min' ? Infinity : -Infinity;
      wait = Number(state.config['wait'] ?? 0);
      clear();
      if (Object.keys(state.tensors).length > 0) bestWeights = Object.fromEntries(Object.entries(state.tensors).map(([k, v]) => [k, tf.clone(v)]));
    },
  };
}

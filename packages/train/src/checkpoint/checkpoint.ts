import { ConfigError } from '@tensorloom/core';
import type { Callback } from '../callbacks/callback.js';
import { checkMonitor, resolveMode } from '../callbacks/monitor.js';
import type { Mode } from '../callbacks/monitor.js';
import type { CheckpointStore } from './store.js';

/**
 * Options of {@link checkpoint}.
 *
 * @example
 * ```ts
 * const o: CheckpointOptions = { store: fileStore('runs/mnist'), every: { steps: 500 }, keepLast: 3, saveBest: { monitor: 'val.loss' } };
 * ```
 */
export interface CheckpointOptions {
  /** Where to write (`memoryStore()`, or `fileStore(dir)` from `@tensorloom/train/node`). */
  store: CheckpointStore;
  /** How often: every N epochs (at epoch end) or every N steps. Default `{ epochs: 1 }`. */
  every?: CheckpointEvery;
  /** Keep only the newest N periodic checkpoints. Default: keep all. */
  keepLast?: number;
  /** Also keep the best epoch's checkpoint (`best-<step>`) by a monitored value. */
  saveBest?: SaveBest;
}

/**
 * How often {@link checkpoint} saves: `{ epochs: n }` at the end of every n-th epoch, or
 * `{ steps: n }` after every n-th step.
 *
 * @example
 * ```ts
 * const every: CheckpointEvery = { steps: 500 };
 * ```
 */
export type CheckpointEvery = EveryEpochs | EverySteps;

/**
 * Save every n epochs.
 *
 * @example
 * ```ts
 * const e: EveryEpochs = { epochs: 1 };
 * ```
 */
export interface EveryEpochs {
  /** The period in epochs (≥ 1). */
  epochs: number;
}

/**
 * Save every n steps.
 *
 * @example
 * ```ts
 * const e: EverySteps = { steps: 100 };
 * ```
 */
export interface EverySteps {
  /** The period in steps (≥ 1). */
  steps: number;
}

/**
 * Which epoch's checkpoint {@link checkpoint} keeps as the best one.
 *
 * @example
 * ```ts
 * const best: SaveBest = { monitor: 'val.accuracy', mode: 'max' };
 * ```
 */
export interface SaveBest {
  /** The epoch value to compare (`'val.loss'`). */
  monitor: string;
  /** Whether lower or higher is better. Default `'auto'`. */
  mode?: Mode;
}

function stepName(prefix: string, step: number): string {
  return `${prefix}-${String(step).padStart(9, '0')}`;
}

/**
 * Saves the whole run — weights, optimizer state (schedules included), EMA, RNG state, the
 * data position (epoch and batch), the history and the config — as safetensors plus JSON,
 * every N epochs or steps, named `step-<global step>`. `fit({ resumeFrom: store })` continues
 * from the latest one, mid-epoch if it was written mid-epoch. A `fileStore` writes each
 * checkpoint atomically, so a crash never leaves a half-written one behind. It runs after
 * every other callback, wherever it stands in the list, so a checkpoint also holds what they
 * did that epoch (`earlyStopping`'s best weights and patience count, a reduced rate).
 *
 * @param options - the store, the period, retention and best-keeping.
 * @returns the callback.
 * @throws ConfigError for a bad option.
 * @example
 * ```ts
 * const store = memoryStore();
 * const cb = callbacks.checkpoint({ store, every: { steps: 100 }, keepLast: 2 });
 * ```
 */
export function checkpoint(options: CheckpointOptions): Callback {
  const unit = 'checkpoint';
  if (options?.store === undefined || typeof options.store.write !== 'function') {
    throw new ConfigError(`${unit}: store expected a CheckpointStore (memoryStore(), fileStore(dir)), got ${String(options?.store)}`);
  }
  const every = options.every ?? { epochs: 1 };
  const period = 'epochs' in every ? every.epochs : every.steps;
  const byEpochs = 'epochs' in every;
  if (!Number.isInteger(period) || period < 1) {
    throw new ConfigError(`${unit}: every.${byEpochs ? 'epochs' : 'steps'} expected an integer >= 1, got ${String(period)}`);
  }
  const keepLast = options.keepLast;
  if (keepLast !== undefined && !(Number.isInteger(keepLast) && keepLast >= 1)) {
    throw new ConfigError(`${unit}: keepLast expected an integer >= 1, got ${String(keepLast)}`);
  }
  const best = options.saveBest;
  const monitor = best === undefined ? null : checkMonitor(unit, best.monitor);
  const mode = best === undefined ? null : resolveMode(unit, monitor!, best.mode);
  const store = options.store;
  let bestValue = Number.NaN;

  const prune = async (): Promise<void> => {
    if (keepLast === undefined) return;
    const periodic = (await store.list()).filter((n) => n.startsWith('step-'));
    for (const n of periodic.slice(0, Math.max(0, periodic.length - keepLast))) await store.remove(n);
  };

  return {
    onTrainBegin() {
      bestValue = Number.NaN;
    },
    async onBatchEnd(ctx) {
      if (byEpochs || ctx.globalStep % period !== 0) return;
      await ctx.save(store, stepName('step', ctx.globalStep));
      await prune();
    },
    async onEpochEnd(ctx, epoch, logs) {
      // The best value is updated before anything is written, so every checkpoint of this
      // epoch carries it and a resume from the periodic one does not save this epoch again.
      const v = monitor === null ? undefined : logs[monitor];
      const improved = v !== undefined && (Number.isNaN(bestValue) || (mode === 'min' ? v < bestValue : v > bestValue));
      if (improved) bestValue = v;
      if (byEpochs && (epoch + 1) % period === 0) {
        await ctx.save(store, stepName('step', ctx.globalStep));
        await prune();
      }
      if (improved) {
        const old = (await store.list()).filter((n) => n.startsWith('best-'));
        const name = stepName('best', ctx.globalStep);
        await ctx.save(store, name);
        for (const n of old) if (n !== name) await store.remove(n);
      }
    },
    runsLast: true,
    stateName: unit,
    getState() {
      return { tensors: {}, config: { bestValue: Number.isNaN(bestValue) ? null : bestValue } };
    },
    setState(state) {
      const saved = state.config['bestValue'];
      bestValue = typeof saved === 'number' ? saved : Number.NaN;
    },
  };
}

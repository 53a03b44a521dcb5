import { TrainingError } from '../fit/training-error.js';
import type { Callback } from './callback.js';

/**
 * Stops training with a {@link TrainingError} when a step's loss is NaN or infinite. `fit`
 * already does this by default (`terminateOnNaN: true`, which also names the parameter whose
 * gradient went non-finite); use this callback with a custom loop of callbacks, or to watch
 * another logged value.
 *
 * @param monitor - the batch value to watch. Default `'loss'`.
 * @returns the callback.
 * @example
 * ```ts
 * callbacks.terminateOnNaN('d.loss');
 * ```
 */
export function terminateOnNaN(monitor = 'loss'): Callback {
  let lastFinite: number | null = null;
  return {
    needsBatchLogs: true,
    onBatchEnd(ctx, batch, logs) {
      const v = logs[monitor];
      if (v === undefined) return;
      if (!Number.isFinite(v)) {
        throw new TrainingError(
          `terminateOnNaN: ${monitor} expected a finite number, got ${v} at epoch ${ctx.epoch}, step ${ctx.globalStep - 1} (batch ${batch}); last finite ${monitor} ${lastFinite ?? 'none'}`,
        );
      }
      lastFinite = v;
    },
  };
}

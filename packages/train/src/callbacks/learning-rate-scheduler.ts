import { ConfigError } from '@tensorloom/core';
import type { Callback } from './callback.js';

/**
 * Sets the learning rate at the start of each epoch from `schedule(epoch, currentRate)`, as
 * Keras' LearningRateScheduler. It does so through the optimizer's `learningRateScale` (so it
 * composes with a step schedule and is saved with the optimizer state). For per-step
 * schedules pass a `schedules.*` as the optimizer's `learningRate` instead.
 *
 * @param schedule - the epoch (0-based) and the current rate → the rate for this epoch (≥ 0).
 * @returns the callback.
 * @throws ConfigError when the schedule returns a negative or non-finite rate.
 * @example
 * ```ts
 * callbacks.learningRateScheduler((epoch, lr) => (epoch < 2 ? lr : lr * 0.9));
 * ```
 */
export function learningRateScheduler(schedule: (epoch: number, lr: number) => number): Callback {
  if (typeof schedule !== 'function') throw new ConfigError(`learningRateScheduler: schedule expected a function, got ${typeof schedule}`);
  return {
    onEpochBegin(ctx, epoch) {
      const opt = ctx.optimizer;
      if (opt === null) throw new ConfigError('learningRateScheduler: optimizer expected in the run, got none');
      const lr = opt.currentLearningRate();
      const next = schedule(epoch, lr);
      if (typeof next !== 'number' || !Number.isFinite(next) || next < 0) {
        throw new ConfigError(`learningRateScheduler: schedule(${epoch}) expected a finite rate >= 0, got ${String(next)}`);
      }
      const base = opt.learningRateScale === 0 ? 0 : lr / opt.learningRateScale;
      if (base === 0) {
        if (next !== 0) throw new ConfigError(`learningRateScheduler: the optimizer's rate is 0 at scale 1, so it cannot be set to ${next}`);
        return;
      }
      opt.learningRateScale = next / base;
    },
  };
}

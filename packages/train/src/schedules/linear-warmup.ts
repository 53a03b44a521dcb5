import { ConfigError } from '@tensorloom/core';

import type { Schedule } from './schedule.js';
import { checkIn, checkRate, checkScheduleOptions, checkSteps, makeSchedule } from './make.js';

/**
 * Options of {@link linearWarmup}.
 *
 * @example
 * ```ts
 * const options: LinearWarmupOptions = { steps: 500, then: 1e-3 };
 * ```
 */
export interface LinearWarmupOptions {
  /** Steps of warm-up, a positive integer. */
  steps: number;
  /** The schedule (or constant rate) after the warm-up; its step 0 is the first step after it. */
  then: Schedule | number;
  /** The fraction of `then(0)` at step 0, in [0, 1]; default 0. */
  startFactor?: number;
}

/**
 * A linear warm-up before any schedule: for `step < steps` the rate is
 * `then(0) · (startFactor + (1 − startFactor)·step/steps)`, afterwards `then(step − steps)`, as
 * `LinearLR` followed by the schedule in PyTorch's `SequentialLR`.
 *
 * @param options - {@link LinearWarmupOptions}.
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * const s = schedules.linearWarmup({ steps: 500, then: schedules.cosine({ initial: 1e-3, steps: 4500 }) });
 * s(250); // 5e-4
 * ```
 */
export function linearWarmup(options: LinearWarmupOptions): Schedule {
  checkScheduleOptions('linear_warmup', options, ['steps', 'then', 'startFactor']);
  const steps = checkSteps('linear_warmup', 'steps', options.steps);
  const startFactor = checkIn('linear_warmup', 'startFactor', options.startFactor ?? 0, 0, 1, 'a number in [0, 1]');
  const { then } = options;
  let after: (t: number) => number;
  let thenConfig: unknown;
  if (typeof then === 'number') {
    const value = checkRate('linear_warmup', 'then', then);
    after = () => value;
    thenConfig = value;
  } else if (typeof then === 'function' && typeof (then as Schedule).config === 'object') {
    after = then;
    thenConfig = then.config;
  } else {
    throw new ConfigError(`Schedule 'linear_warmup': then expected a Schedule or a rate, got ${typeof then}`);
  }
  return makeSchedule('linear_warmup', { steps, startFactor, then: thenConfig }, (t) =>
    t < steps ? after(0) * (startFactor + ((1 - startFactor) * t) / steps) : after(t - steps),
  );
}

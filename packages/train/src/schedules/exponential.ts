import type { Schedule } from './schedule.js';
import { checkRate, checkScheduleOptions, makeSchedule } from './make.js';

/**
 * Options of {@link exponential}.
 *
 * @example
 * ```ts
 * const options: ExponentialOptions = { initial: 1e-3, gamma: 0.999 };
 * ```
 */
export interface ExponentialOptions {
  /** The starting rate. */
  initial: number;
  /** The factor per step. */
  gamma: number;
}

/**
 * Exponential decay, as `torch.optim.lr_scheduler.ExponentialLR`: `initial · gamma^step`.
 *
 * @param options - {@link ExponentialOptions}.
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * schedules.exponential({ initial: 1e-3, gamma: 0.999 })(1000);
 * ```
 */
export function exponential(options: ExponentialOptions): Schedule {
  checkScheduleOptions('exponential', options, ['initial', 'gamma']);
  const initial = checkRate('exponential', 'initial', options.initial);
  const gamma = checkRate('exponential', 'gamma', options.gamma);
  return makeSchedule('exponential', { initial, gamma }, (t) => initial * gamma ** t);
}

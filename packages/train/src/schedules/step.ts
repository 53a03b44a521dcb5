import type { Schedule } from './schedule.js';
import { checkRate, checkScheduleOptions, checkSteps, makeSchedule } from './make.js';

/**
 * Options of {@link step}.
 *
 * @example
 * ```ts
 * const options: StepOptions = { initial: 0.1, stepSize: 30, gamma: 0.1 };
 * ```
 */
export interface StepOptions {
  /** The starting rate. */
  initial: number;
  /** Steps between decays, a positive integer. */
  stepSize: number;
  /** The factor at each decay; default 0.1. */
  gamma?: number;
}

/**
 * Step decay, as `torch.optim.lr_scheduler.StepLR`: `initial · gamma^⌊step / stepSize⌋`.
 *
 * @param options - {@link StepOptions}.
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * const s = schedules.step({ initial: 0.1, stepSize: 30 });
 * s(30); // 0.01
 * ```
 */
export function step(options: StepOptions): Schedule {
  checkScheduleOptions('step', options, ['initial', 'stepSize', 'gamma']);
  const initial = checkRate('step', 'initial', options.initial);
  const stepSize = checkSteps('step', 'stepSize', options.stepSize);
  const gamma = checkRate('step', 'gamma', options.gamma ?? 0.1);
  return makeSchedule('step', { initial, stepSize, gamma }, (t) => initial * gamma ** Math.floor(t / stepSize));
}

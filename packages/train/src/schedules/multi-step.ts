import { ConfigError } from '@tensorloom/core';

import type { Schedule } from './schedule.js';
import { checkRate, checkScheduleOptions, makeSchedule } from './make.js';

/**
 * Options of {@link multiStep}.
 *
 * @example
 * ```ts
 * const options: MultiStepOptions = { initial: 0.1, milestones: [100, 150] };
 * ```
 */
export interface MultiStepOptions {
  /** The starting rate. */
  initial: number;
  /** Increasing steps at which the rate is multiplied by gamma. */
  milestones: number[];
  /** The factor at each milestone; default 0.1. */
  gamma?: number;
}

/**
 * Decay at milestones, as `torch.optim.lr_scheduler.MultiStepLR`: `initial · gamma^(milestones ≤ step)`.
 *
 * @param options - {@link MultiStepOptions}.
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * const s = schedules.multiStep({ initial: 0.1, milestones: [100, 150] });
 * s(120); // 0.01
 * ```
 */
export function multiStep(options: MultiStepOptions): Schedule {
  checkScheduleOptions('multi_step', options, ['initial', 'milestones', 'gamma']);
  const initial = checkRate('multi_step', 'initial', options.initial);
  const gamma = checkRate('multi_step', 'gamma', options.gamma ?? 0.1);
  const milestones = options.milestones;
  if (!Array.isArray(milestones) || !milestones.every((m, i) => Number.isInteger(m) && m > 0 && (i === 0 || m > milestones[i - 1]))) {
    throw new ConfigError(`Schedule 'multi_step': milestones expected increasing positive integers, got ${JSON.stringify(milestones)}`);
  }
  const ms = [...milestones];
  return makeSchedule('multi_step', { initial, milestones: ms, gamma }, (t) => initial * gamma ** ms.filter((m) => m <= t).length);
}

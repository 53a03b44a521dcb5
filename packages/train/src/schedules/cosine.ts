import type { Schedule } from './schedule.js';
import { checkRate, checkScheduleOptions, checkSteps, makeSchedule } from './make.js';

/**
 * Options of {@link cosine}.
 *
 * @example
 * ```ts
 * const options: CosineOptions = { initial: 1e-3, steps: 5000 };
 * ```
 */
export interface CosineOptions {
  /** The starting rate. */
  initial: number;
  /** Steps of annealing, a positive integer. */
  steps: number;
  /** The rate at and after `steps`; default 0. */
  final?: number;
}

/**
 * Cosine annealing from `initial` to `final` over `steps`, then `final`, as
 * `torch.optim.lr_scheduler.CosineAnnealingLR` over its first half-period (Loshchilov & Hutter,
 * https://arxiv.org/abs/1608.03983): `final + (initial − final)(1 + cos(π·min(step, steps)/steps))/2`.
 *
 * @param options - {@link CosineOptions}.
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * schedules.cosine({ initial: 1e-3, steps: 5000 })(2500); // 5e-4
 * ```
 */
export function cosine(options: CosineOptions): Schedule {
  checkScheduleOptions('cosine', options, ['initial', 'steps', 'final']);
  const initial = checkRate('cosine', 'initial', options.initial);
  const steps = checkSteps('cosine', 'steps', options.steps);
  const final = checkRate('cosine', 'final', options.final ?? 0);
  return makeSchedule('cosine', { initial, steps, final }, (t) => final + ((initial - final) * (1 + Math.cos((Math.PI * Math.min(t, steps)) / steps))) / 2);
}

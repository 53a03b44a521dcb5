import type { Schedule } from './schedule.js';
import { checkRate, checkScheduleOptions, checkSteps, makeSchedule } from './make.js';

/**
 * Options of {@link cosineRestarts}.
 *
 * @example
 * ```ts
 * const options: CosineRestartsOptions = { initial: 0.1, period: 10, periodMult: 2 };
 * ```
 */
export interface CosineRestartsOptions {
  /** The rate at the start of every cycle. */
  initial: number;
  /** The first cycle's length in steps. */
  period: number;
  /** Each cycle is this many times longer than the last, an integer ≥ 1; default 1. */
  periodMult?: number;
  /** The rate each cycle anneals to; default 0. */
  final?: number;
}

/**
 * Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter, https://arxiv.org/abs/1608.03983),
 * as `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`: the i-th cycle lasts
 * `period · periodMult^i` steps and anneals from `initial` to `final`.
 *
 * @param options - {@link CosineRestartsOptions}.
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * const s = schedules.cosineRestarts({ initial: 0.1, period: 10, periodMult: 2 });
 * s(10); // 0.1 again: the second cycle (20 steps) begins
 * ```
 */
export function cosineRestarts(options: CosineRestartsOptions): Schedule {
  checkScheduleOptions('cosine_restarts', options, ['initial', 'period', 'periodMult', 'final']);
  const initial = checkRate('cosine_restarts', 'initial', options.initial);
  const period = checkSteps('cosine_restarts', 'period', options.period);
  const periodMult = checkSteps('cosine_restarts', 'periodMult', options.periodMult ?? 1);
  const final = checkRate('cosine_restarts', 'final', options.final ?? 0);
  return makeSchedule('cosine_restarts', { initial, period, periodMult, final }, (t) => {
    let start = 0;
    let length = period;
    while (t >= start + length) {
      start += length;
      length *= periodMult;
    }
    return final + ((initial - final) * (1 + Math.cos((Math.PI * (t - start)) / length))) / 2;
  });
}

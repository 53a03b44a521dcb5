import { ConfigError } from '@tensorloom/core';

import type { Schedule } from './schedule.js';
import { checkIn, checkRate, checkScheduleOptions, checkSteps, makeSchedule } from './make.js';

/**
 * Options of {@link oneCycle}.
 *
 * @example
 * ```ts
 * const options: OneCycleOptions = { max: 0.01, steps: 1000, pctStart: 0.25 };
 * ```
 */
export interface OneCycleOptions {
  /** The peak rate. */
  max: number;
  /** Total steps, a positive integer. */
  steps: number;
  /** The fraction of `steps` spent rising; default 0.3. */
  pctStart?: number;
  /** The start rate is `max / divFactor`; default 25. */
  divFactor?: number;
  /** The final rate is the start rate / `finalDivFactor`; default 1e4. */
  finalDivFactor?: number;
  /** How the rate moves within a phase; default `'cos'`. */
  anneal?: 'cos' | 'linear';
  /** Rise, fall back to the start rate, then anneal to the final rate; default false. */
  threePhase?: boolean;
}

/**
 * The one-cycle policy (Smith & Topin, https://arxiv.org/abs/1708.07120), as
 * `torch.optim.lr_scheduler.OneCycleLR`: from `max/divFactor` up to `max` over the first
 * `pctStart` of `steps`, then down to `max/(divFactor·finalDivFactor)` (with `threePhase`, back to
 * the start first), annealed by cosine or linearly.
 *
 * @param options - {@link OneCycleOptions}.
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * const s = schedules.oneCycle({ max: 0.01, steps: 1000 });
 * s(299); // 0.01, the peak
 * ```
 */
export function oneCycle(options: OneCycleOptions): Schedule {
  const n = 'one_cycle';
  checkScheduleOptions(n, options, ['max', 'steps', 'pctStart', 'divFactor', 'finalDivFactor', 'anneal', 'threePhase']);
  const max = checkRate(n, 'max', options.max);
  const steps = checkSteps(n, 'steps', options.steps);
  const pctStart = checkIn(n, 'pctStart', options.pctStart ?? 0.3, 0, 1, 'a number in [0, 1]');
  const divFactor = checkIn(n, 'divFactor', options.divFactor ?? 25, Number.MIN_VALUE, Infinity, 'a number > 0');
  const finalDivFactor = checkIn(n, 'finalDivFactor', options.finalDivFactor ?? 1e4, Number.MIN_VALUE, Infinity, 'a number > 0');
  const anneal = options.anneal ?? 'cos';
  if (anneal !== 'cos' && anneal !== 'linear') throw new ConfigError(`Schedule '${n}': anneal expected 'cos' or 'linear', got ${JSON.stringify(anneal)}`);
  const threePhase = options.threePhase ?? false;
  if (typeof threePhase !== 'boolean') throw new ConfigError(`Schedule '${n}': threePhase expected a boolean, got ${JSON.stringify(threePhase)}`);
  const initial = max / divFactor;
  const min = initial / finalDivFactor;
  const phases: { end: number; from: number; to: number }[] = threePhase
    ? [
        { end: steps * pctStart - 1, from: initial, to: max },
        { end: 2 * steps * pctStart - 2, from: max, to: initial },
        { end: steps - 1, from: initial, to: min },
      ]
    : [
        { end: steps * pctStart - 1, from: initial, to: max },
        { end: steps - 1, from: max, to: min },
      ];
  const annealFn =
    anneal === 'cos'
      ? (a: number, b: number, p: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1)
      : (a: number, b: number, p: number) => (b - a) * p + a;
  return makeSchedule(n, { max, steps, pctStart, divFactor, finalDivFactor, anneal, threePhase }, (t) => {
    let start = 0;
    for (let i = 0; i < phases.length; i++) {
      const { end, from, to } = phases[i];
      if (t <= end || i === phases.length - 1) {
        const span = end - start;
        return annealFn(from, to, span === 0 ? 1 : Math.min((t - start) / span, 1));
      }
      start = end;
    }
    return min;
  });
}

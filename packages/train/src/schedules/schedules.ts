import { ConfigError } from '@tensorloom/core';

import type { Schedule } from './schedule.js';
import { checkIn, checkRate, checkScheduleOptions, checkSteps, makeSchedule } from './make.js';

/**
 * A constant rate.
 *
 * @param options - `value`: the rate.
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * schedules.constant({ value: 1e-3 })(500); // 1e-3
 * ```
 */
export function constant(options: { value: number }): Schedule {
  checkScheduleOptions('constant', options, ['value']);
  const value = checkRate('constant', 'value', options.value);
  return makeSchedule('constant', { value }, () => value);
}

/**
 * Step decay, as `torch.optim.lr_scheduler.StepLR`: `initial · gamma^⌊step / stepSize⌋`.
 *
 * @param options - `initial` rate, `stepSize` (steps between decays), `gamma` (default 0.1).
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * const s = schedules.step({ initial: 0.1, stepSize: 30 });
 * s(30); // 0.01
 * ```
 */
export function step(options: { initial: number; stepSize: number; gamma?: number }): Schedule {
  checkScheduleOptions('step', options, ['initial', 'stepSize', 'gamma']);
  const initial = checkRate('step', 'initial', options.initial);
  const stepSize = checkSteps('step', 'stepSize', options.stepSize);
  const gamma = checkRate('step', 'gamma', options.gamma ?? 0.1);
  return makeSchedule('step', { initial, stepSize, gamma }, (t) => initial * gamma ** Math.floor(t / stepSize));
}

/**
 * Decay at milestones, as `torch.optim.lr_scheduler.MultiStepLR`: `initial · gamma^(milestones ≤ step)`.
 *
 * @param options - `initial` rate, increasing `milestones` (steps), `gamma` (default 0.1).
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * const s = schedules.multiStep({ initial: 0.1, milestones: [100, 150] });
 * s(120); // 0.01
 * ```
 */
export function multiStep(options: { initial: number; milestones: number[]; gamma?: number }): Schedule {
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

/**
 * Exponential decay, as `torch.optim.lr_scheduler.ExponentialLR`: `initial · gamma^step`.
 *
 * @param options - `initial` rate and `gamma` (the factor per step).
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * schedules.exponential({ initial: 1e-3, gamma: 0.999 })(1000);
 * ```
 */
export function exponential(options: { initial: number; gamma: number }): Schedule {
  checkScheduleOptions('exponential', options, ['initial', 'gamma']);
  const initial = checkRate('exponential', 'initial', options.initial);
  const gamma = checkRate('exponential', 'gamma', options.gamma);
  return makeSchedule('exponential', { initial, gamma }, (t) => initial * gamma ** t);
}

/**
 * Polynomial decay over `steps`, then `final`: `(initial − final)(1 − min(step, steps)/steps)^power + final`
 * (`torch.optim.lr_scheduler.PolynomialLR` when `final` is 0; Keras' `PolynomialDecay`).
 *
 * @param options - `initial` rate, `steps`, `power` (default 1, linear), `final` (default 0).
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * schedules.polynomial({ initial: 1e-3, steps: 1000, power: 2 })(500); // 2.5e-4
 * ```
 */
export function polynomial(options: { initial: number; steps: number; power?: number; final?: number }): Schedule {
  checkScheduleOptions('polynomial', options, ['initial', 'steps', 'power', 'final']);
  const initial = checkRate('polynomial', 'initial', options.initial);
  const steps = checkSteps('polynomial', 'steps', options.steps);
  const power = checkRate('polynomial', 'power', options.power ?? 1);
  const final = checkRate('polynomial', 'final', options.final ?? 0);
  return makeSchedule('polynomial', { initial, steps, power, final }, (t) => (initial - final) * (1 - Math.min(t, steps) / steps) ** power + final);
}

/**
 * Cosine annealing from `initial` to `final` over `steps`, then `final`, as
 * `torch.optim.lr_scheduler.CosineAnnealingLR` over its first half-period (Loshchilov & Hutter,
 * https://arxiv.org/abs/1608.03983): `final + (initial − final)(1 + cos(π·min(step, steps)/steps))/2`.
 *
 * @param options - `initial` rate, `steps`, `final` (default 0).
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * schedules.cosine({ initial: 1e-3, steps: 5000 })(2500); // 5e-4
 * ```
 */
export function cosine(options: { initial: number; steps: number; final?: number }): Schedule {
  checkScheduleOptions('cosine', options, ['initial', 'steps', 'final']);
  const initial = checkRate('cosine', 'initial', options.initial);
  const steps = checkSteps('cosine', 'steps', options.steps);
  const final = checkRate('cosine', 'final', options.final ?? 0);
  return makeSchedule('cosine', { initial, steps, final }, (t) => final + ((initial - final) * (1 + Math.cos((Math.PI * Math.min(t, steps)) / steps))) / 2);
}

/**
 * Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter, https://arxiv.org/abs/1608.03983),
 * as `torch.optim.lr_scheduler.CosineAnnealingWarmRestarts`: the i-th cycle lasts
 * `period · periodMult^i` steps and anneals from `initial` to `final`.
 *
 * @param options - `initial` rate, first `period` (steps), `periodMult` (an integer ≥ 1, default 1), `final` (default 0).
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * const s = schedules.cosineRestarts({ initial: 0.1, period: 10, periodMult: 2 });
 * s(10); // 0.1 again: the second cycle (20 steps) begins
 * ```
 */
export function cosineRestarts(options: { initial: number; period: number; periodMult?: number; final?: number }): Schedule {
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

/**
 * A linear warm-up before any schedule: for `step < steps` the rate is
 * `then(0) · (startFactor + (1 − startFactor)·step/steps)`, afterwards `then(step − steps)`, as
 * `LinearLR` followed by the schedule in PyTorch's `SequentialLR`.
 *
 * @param options - `steps` of warm-up, `then` (a schedule or a constant rate), `startFactor` in [0, 1] (default 0).
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * const s = schedules.linearWarmup({ steps: 500, then: schedules.cosine({ initial: 1e-3, steps: 4500 }) });
 * s(250); // 5e-4
 * ```
 */
export function linearWarmup(options: { steps: number; then: Schedule | number; startFactor?: number }): Schedule {
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

/**
 * The one-cycle policy (Smith & Topin, https://arxiv.org/abs/1708.07120), as
 * `torch.optim.lr_scheduler.OneCycleLR`: from `max/divFactor` up to `max` over the first
 * `pctStart` of `steps`, then down to `max/(divFactor·finalDivFactor)` (with `threePhase`, back to
 * the start first), annealed by cosine or linearly.
 *
 * @param options - `max` rate, total `steps`, `pctStart` (default 0.3), `divFactor` (25), `finalDivFactor` (1e4), `anneal` (`'cos'`), `threePhase` (false).
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * const s = schedules.oneCycle({ max: 0.01, steps: 1000 });
 * s(299); // 0.01, the peak
 * ```
 */
export function oneCycle(options: {
  max: number;
  steps: number;
  pctStart?: number;
  divFactor?: number;
  finalDivFactor?: number;
  anneal?: 'cos' | 'linear';
  threePhase?: boolean;
}): Schedule {
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

/**
 * Rebuilds a schedule from its `config` (as saved with an optimizer's state).
 *
 * @param config - a schedule's `config`, e.g. from `JSON.parse` of a checkpoint.
 * @returns the same schedule.
 * @throws ConfigError when the name is unknown or an option is bad.
 * @example
 * ```ts
 * const s = schedules.fromConfig({ name: 'cosine', initial: 1e-3, steps: 100, final: 0 });
 * ```
 */
export function fromConfig(config: Record<string, unknown>): Schedule {
  if (config === null || typeof config !== 'object') {
    throw new ConfigError(`Schedule fromConfig: config expected an object with a name, got ${String(config)}`);
  }
  const { name, ...rest } = config;
  const o = rest as never;
  switch (name) {
    case 'constant':
      return constant(o);
    case 'step':
      return step(o);
    case 'multi_step':
      return multiStep(o);
    case 'exponential':
      return exponential(o);
    case 'polynomial':
      return polynomial(o);
    case 'cosine':
      return cosine(o);
    case 'cosine_restarts':
      return cosineRestarts(o);
    case 'one_cycle':
      return oneCycle(o);
    case 'linear_warmup': {
      const then = (rest as { then?: unknown }).then;
      const inner = typeof then === 'number' ? then : fromConfig(then as Record<string, unknown>);
      return linearWarmup({ ...(rest as { steps: number; startFactor?: number }), then: inner });
    }
    default:
      throw new ConfigError(
        `Schedule fromConfig: name expected one of constant, step, multi_step, exponential, polynomial, cosine, cosine_restarts, linear_warmup, one_cycle, got ${JSON.stringify(name)}`,
      );
  }
}

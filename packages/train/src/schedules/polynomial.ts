import type { Schedule } from './schedule.js';
import { checkRate, checkScheduleOptions, checkSteps, makeSchedule } from './make.js';

/**
 * Options of {@link polynomial}.
 *
 * @example
 * ```ts
 * const options: PolynomialOptions = { initial: 1e-3, steps: 1000, power: 2 };
 * ```
 */
export interface PolynomialOptions {
  /** The starting rate. */
  initial: number;
  /** Steps of decay, a positive integer. */
  steps: number;
  /** The exponent; default 1 (linear). */
  power?: number;
  /** The rate at and after `steps`; default 0. */
  final?: number;
}

/**
 * Polynomial decay over `steps`, then `final`: `(initial − final)(1 − min(step, steps)/steps)^power + final`
 * (`torch.optim.lr_scheduler.PolynomialLR` when `final` is 0; Keras' `PolynomialDecay`).
 *
 * @param options - {@link PolynomialOptions}.
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * schedules.polynomial({ initial: 1e-3, steps: 1000, power: 2 })(500); // 2.5e-4
 * ```
 */
export function polynomial(options: PolynomialOptions): Schedule {
  checkScheduleOptions('polynomial', options, ['initial', 'steps', 'power', 'final']);
  const initial = checkRate('polynomial', 'initial', options.initial);
  const steps = checkSteps('polynomial', 'steps', options.steps);
  const power = checkRate('polynomial', 'power', options.power ?? 1);
  const final = checkRate('polynomial', 'final', options.final ?? 0);
  return makeSchedule('polynomial', { initial, steps, power, final }, (t) => (initial - final) * (1 - Math.min(t, steps) / steps) ** power + final);
}

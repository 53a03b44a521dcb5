import type { Schedule } from './schedule.js';
import { checkRate, checkScheduleOptions, makeSchedule } from './make.js';

/**
 * Options of {@link constant}.
 *
 * @example
 * ```ts
 * const options: ConstantOptions = { value: 1e-3 };
 * ```
 */
export interface ConstantOptions {
  /** The rate. */
  value: number;
}

/**
 * A constant rate.
 *
 * @param options - {@link ConstantOptions}.
 * @returns a {@link Schedule}.
 * @example
 * ```ts
 * schedules.constant({ value: 1e-3 })(500); // 1e-3
 * ```
 */
export function constant(options: ConstantOptions): Schedule {
  checkScheduleOptions('constant', options, ['value']);
  const value = checkRate('constant', 'value', options.value);
  return makeSchedule('constant', { value }, () => value);
}

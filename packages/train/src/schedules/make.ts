import { ConfigError } from '@tensorloom/core';

import type { Schedule } from './schedule.js';

// Shared plumbing of the schedule factories.

/** @internal Builds a {@link Schedule} from a rate function and its config; checks the step. */
export function makeSchedule(name: string, config: Record<string, unknown>, rate: (step: number) => number): Schedule {
  const s = ((step: number) => {
    if (!Number.isInteger(step) || step < 0) {
      throw new ConfigError(`Schedule '${name}': step expected an integer ≥ 0, got ${JSON.stringify(step)}`);
    }
    return rate(step);
  }) as Schedule;
  Object.defineProperty(s, 'config', { value: Object.freeze({ name, ...config }), enumerable: true });
  return s;
}

/** @internal Rejects option objects with unknown keys or of the wrong kind. */
export function checkScheduleOptions(name: string, options: unknown, known: readonly string[]): asserts options is Record<string, unknown> {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`Schedule '${name}': options expected an object, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ConfigError(`Schedule '${name}': option '${key}' expected one of ${known.join(', ')}, got an unknown option`);
    }
  }
}

/** @internal A finite number ≥ 0 (a rate). */
export function checkRate(name: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(`Schedule '${name}': ${option} expected a finite number ≥ 0, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
  }
  return value;
}

/** @internal A positive integer (a step count). */
export function checkSteps(name: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`Schedule '${name}': ${option} expected a positive integer, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
  }
  return value;
}

/** @internal A finite number in a range. */
export function checkIn(name: string, option: string, value: unknown, lo: number, hi: number, what: string): number {
  if (typeof value !== 'number' || !(value >= lo && value <= hi)) {
    throw new ConfigError(`Schedule '${name}': ${option} expected ${what}, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
  }
  return value;
}

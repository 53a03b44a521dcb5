import { ConfigError } from '@tensorloom/core';

import type { Schedule } from '../schedules/schedule.js';

// Option checks shared by the optimizer factories; each names the optimizer and the option.

function unit(name: string): string {
  return `Optimizer '${name}'`;
}

function show(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value) ?? String(value);
}

/** @internal A finite number ≥ 0 (or > 0 when `positive`). */
export function checkNonNegative(name: string, option: string, value: number, positive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (positive && value === 0)) {
    throw new ConfigError(
      `${unit(name)}: ${option} expected a finite number ${positive ? '> 0' : '≥ 0'}, got ${show(value)}`,
    );
  }
  return value;
}

/** @internal A number in [0, 1) (betas, momentum, decay rates). */
export function checkUnitInterval(name: string, option: string, value: number, closed = false): number {
  const ok = typeof value === 'number' && value >= 0 && (closed ? value <= 1 : value < 1);
  if (!ok) {
    throw new ConfigError(`${unit(name)}: ${option} expected a number in [0, 1${closed ? ']' : ')'}, got ${show(value)}`);
  }
  return value;
}

/** @internal A learning rate: a finite number ≥ 0 or a schedule. */
export function checkLearningRate(name: string, option: string, value: number | Schedule): number | Schedule {
  if (typeof value === 'function') {
    if (typeof (value as Schedule).config !== 'object') {
      throw new ConfigError(`${unit(name)}: ${option} expected a number or a Schedule (with a config), got a plain function`, {
        help: 'build schedules with the schedules.* factories, or give the function a `config` object',
      });
    }
    return value;
  }
  return checkNonNegative(name, option, value);
}

/** @internal A boolean option. */
export function checkBoolean(name: string, option: string, value: boolean): boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigError(`${unit(name)}: ${option} expected a boolean, got ${show(value)}`);
  }
  return value;
}

/** @internal Rejects option keys the factory does not know (a typo would silently change nothing). */
export function checkKnownOptions(name: string, options: object, known: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ConfigError(`${unit(name)}: option '${key}' expected one of ${known.join(', ')}, got an unknown option`);
    }
  }
}

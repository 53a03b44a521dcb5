import { ConfigError } from '@tensorloom/core';

/** Checks that an option is an integer (any sign); returns it or the default. */
export function integerOption(unit: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new ConfigError(`${unit}: ${name} expected an integer, got ${String(value)}`);
  }
  return value;
}

/** Checks that an option is an integer in [min, max]; returns it or the default. */
export function countOption(unit: string, name: string, value: unknown, fallback: number, min = 0, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new ConfigError(`${unit}: ${name} expected an integer ${range}, got ${String(value)}`);
  }
  return value;
}

/** Checks that an option is a number in the open interval (lo, hi) or [lo, hi). */
export function fractionOption(
  unit: string,
  name: string,
  value: unknown,
  fallback: number,
  interval: '(0, 1)' | '[0, 1)',
): number {
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' && Number.isFinite(value) && value < 1 && (interval === '(0, 1)' ? value > 0 : value >= 0);
  if (!ok) throw new ConfigError(`${unit}: ${name} expected a number in ${interval}, got ${String(value)}`);
  return value;
}

/** Checks that an option is one of the given strings. */
export function choiceOption<T extends string>(unit: string, name: string, value: unknown, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new ConfigError(`${unit}: ${name} expected one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

import { ConfigError, ShapeError, formatShape } from '@tensorloom/core';
import type { NumericInput } from '../metric.js';
import { isPrefix, sizeOf, squeezeTrailing, toDense } from './input.js';

/** `Precision 'val_precision'`: how every message names the metric. */
export function unitOf(kind: string, name: string): string {
  return `${kind} '${name}'`;
}

/** Validates the `name` option. */
export function checkName(kind: string, name: unknown, fallback: string): string {
  if (name === undefined) return fallback;
  if (typeof name !== 'string' || name.length === 0) {
    throw new ConfigError(`${kind}: name expected a non-empty string, got ${JSON.stringify(name)}`);
  }
  return name;
}

/** Validates a `zeroDivision` option: 0, 1 or NaN. */
export function checkZeroDivision(unit: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === 0 || value === 1 || (typeof value === 'number' && Number.isNaN(value))) return value;
  throw new ConfigError(`${unit}: zeroDivision expected 0, 1 or NaN, got ${String(value)}`);
}

/** Validates an integer option in [min, max]. */
export function checkInteger(unit: string, arg: string, value: unknown, min: number, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`;
    throw new ConfigError(`${unit}: ${arg} expected ${range}, got ${String(value)}`);
  }
  return value;
}

/** Validates a finite number option. */
export function checkFinite(unit: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ConfigError(`${unit}: ${arg} expected a finite number, got ${String(value)}`);
  }
  return value;
}

/** Validates a string option against its allowed values. */
export function checkOneOf<T extends string>(unit: string, arg: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(
      `${unit}: ${arg} expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value as T;
}

/** `num / den`, or the zero-division value when `den` is 0. */
export function divide(num: number, den: number, zeroDivision: number): number {
  return den === 0 ? zeroDivision : num / den;
}

/**
 * Reads sample weights for a batch whose samples have `sampleShape`, broadcasting them over
 * trailing axes: the weights' shape must be a prefix of the sample shape (a per-sample
 * weight `[N]` for per-element values `[N, L]`), trailing axes of size 1 ignored. Returns one
 * weight per element of the sample shape, or null when no weights were given.
 */
export function readWeights(
  unit: string,
  sampleWeight: NumericInput | undefined,
  sampleShape: readonly number[],
): Float64Array | null {
  if (sampleWeight === undefined) return null;
  const n = sizeOf(sampleShape);
  const w = toDense(unit, 'sampleWeight', sampleWeight);
  let shape = w.shape;
  if (!isPrefix(shape, sampleShape)) shape = squeezeTrailing(shape);
  if (!isPrefix(shape, sampleShape)) {
    throw new ShapeError(
      `${unit}: sampleWeight expected shape ${formatShape(sampleShape)} or a prefix of it, got ${formatShape(w.shape)}`,
    );
  }
  const out = new Float64Array(n);
  const m = sizeOf(shape);
  const repeat = m === 0 ? 0 : n / m;
  for (let i = 0; i < m; i++) {
    const v = w.values[i];
    if (!(v >= 0) || !Number.isFinite(v)) {
      throw new ConfigError(`${unit}: sampleWeight expected finite non-negative values, got ${v}`);
    }
    out.fill(v, i * repeat, (i + 1) * repeat);
  }
  return out;
}

/** Rejects sample weights for metrics that take none. */
export function rejectWeights(unit: string, sampleWeight: unknown, why: string): void {
  if (sampleWeight !== undefined) {
    throw new ConfigError(`${unit}: sampleWeight expected undefined (${why}), got ${typeof sampleWeight}`);
  }
}

import { ConfigError, ShapeError, formatShape, invalidOption } from '@tensorloom/core';
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
    invalidOption(kind, 'name', 'a non-empty string', name);
  }
  return name;
}

/** Validates a `zeroDivision` option: 0, 1 or NaN. */
export function checkZeroDivision(unit: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === 0 || value === 1 || (typeof value === 'number' && Number.isNaN(value))) return value;
  invalidOption(unit, 'zeroDivision', '0, 1 or NaN', value);
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

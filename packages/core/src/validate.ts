// Option validators shared by every package: one wording for every configuration error,
// `<unit>: <option> expected <what>, got <value>`.
import { Tensor } from '@tensorflow/tfjs-core';
import { formatShape } from './checks.js';
import { ConfigError } from './errors.js';

/**
 * How a value appears after `got` in a message: numbers and booleans as written, strings in
 * single quotes, arrays element by element, tensors by shape, anything else by kind.
 *
 * @example
 * ```ts
 * describeValue('max');    // "'max'"
 * describeValue([1, NaN]); // '[1, NaN]'
 * describeValue(undefined); // 'undefined'
 * ```
 *
 * @group Checks
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Tensor) return `a tensor ${formatShape(value.shape)}`;
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (typeof value === 'function') return 'a function';
  return 'an object';
}

/**
 * Bounds of {@link inRange}: inclusive `min`/`max` unless `minOpen`/`maxOpen`; `integer`
 * also requires a whole number.
 *
 * @example
 * ```ts
 * const probability: RangeBounds = { min: 0, max: 1 };
 * const rate: RangeBounds = { min: 0, max: 1, maxOpen: true }; // [0, 1)
 * ```
 *
 * @group Checks
 */
export interface RangeBounds {
  /** The lowest value allowed (or excluded with `minOpen`). Default: none. */
  min?: number;
  /** The highest value allowed (or excluded with `maxOpen`). Default: none. */
  max?: number;
  /** `min` itself is not allowed. Default `false`. */
  minOpen?: boolean;
  /** `max` itself is not allowed. Default `false`. */
  maxOpen?: boolean;
  /** Only whole numbers. Default `false`. */
  integer?: boolean;
}

/** What a range means in words: `an integer >= 1`, `a number in [0, 1)`, `a finite number`. */
function rangeText(bounds: RangeBounds): string {
  const { min, max, minOpen = false, maxOpen = false, integer = false } = bounds;
  const kind = integer ? 'an integer' : 'a number';
  if (min !== undefined && max !== undefined) return `${kind} in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
  if (min !== undefined) return `${kind} ${minOpen ? '>' : '>='} ${min}`;
  if (max !== undefined) return `${kind} ${maxOpen ? '<' : '<='} ${max}`;
  return integer ? 'an integer' : 'a finite number';
}

/**
 * Throws the one configuration error of the project: `<unit>: <option> expected <what>, got
 * <value>` (the value through {@link describeValue}).
 *
 * @throws always, a `ConfigError`.
 * @example
 * ```ts
 * if (size % 2 === 0) invalidOption("gaussianBlur", 'kernelSize', 'an odd integer', size);
 * ```
 *
 * @group Checks
 */
export function invalidOption(unit: string, option: string, expected: string, value: unknown, help?: string): never {
  throw new ConfigError(`${unit}: ${option} expected ${expected}, got ${describeValue(value)}`, help === undefined ? {} : { help });
}

/**
 * A number within bounds (always finite).
 *
 * @param unit - names the caller: `Dropout 'drop1'`, `randomCrop`.
 * @param option - the option's name.
 * @param value - what was given.
 * @param bounds - inclusive by default.
 * @returns `value`, typed.
 * @throws `ConfigError` `<unit>: <option> expected a number in [0, 1), got 1.5`.
 * @example
 * ```ts
 * const rate = inRange("Dropout 'drop'", 'rate', config.rate, { min: 0, max: 1, maxOpen: true });
 * const k = inRange("topKAccuracy 'top5'", 'k', options.k, { min: 1, integer: true });
 * ```
 *
 * @group Checks
 */
export function inRange(unit: string, option: string, value: unknown, bounds: RangeBounds = {}): number {
  const { min, max, minOpen = false, maxOpen = false, integer = false } = bounds;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || (minOpen ? value > min : value >= min)) &&
    (max === undefined || (maxOpen ? value < max : value <= max));
  if (!ok) invalidOption(unit, option, rangeText(bounds), value);
  return value;
}

/**
 * A finite number (not NaN, not ±Infinity).
 *
 * @throws `ConfigError` `<unit>: <option> expected a finite number, got NaN`.
 * @example
 * ```ts
 * const fill = finiteNumber('randomRotation', 'fillValue', config.fillValue ?? 0);
 * ```
 *
 * @group Checks
 */
export function finiteNumber(unit: string, option: string, value: unknown): number {
  return inRange(unit, option, value);
}

/**
 * An integer in `[min, max]`.
 *
 * @throws `ConfigError` `<unit>: <option> expected an integer in [0, 10], got 11` (or `>= min`).
 * @example
 * ```ts
 * const seed = intInRange('mnist.load', 'seed', options.seed ?? 0, 0, 2 ** 32 - 1);
 * ```
 *
 * @group Checks
 */
export function intInRange(unit: string, option: string, value: unknown, min = -Infinity, max = Infinity): number {
  return inRange(unit, option, value, {
    integer: true,
    ...(min === -Infinity ? {} : { min }),
    ...(max === Infinity ? {} : { max }),
  });
}

/**
 * An integer >= 1.
 *
 * @throws `ConfigError` `<unit>: <option> expected an integer >= 1, got 0`.
 * @example
 * ```ts
 * const batchSize = positiveInt('Dataset.batch', 'size', size);
 * ```
 *
 * @group Checks
 */
export function positiveInt(unit: string, option: string, value: unknown): number {
  return inRange(unit, option, value, { min: 1, integer: true });
}

/**
 * One of a fixed set of strings.
 *
 * @throws `ConfigError` `<unit>: <option> expected one of 'macro', 'micro', got 'mean'`.
 * @example
 * ```ts
 * const average = oneOf("F1Score 'f1'", 'average', options.average ?? 'macro', ['macro', 'weighted', 'micro'] as const);
 * ```
 *
 * @group Checks
 */
export function oneOf<T extends string>(unit: string, option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalidOption(unit, option, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`, value);
  }
  return value as T;
}

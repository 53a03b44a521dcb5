import { finiteNumber, intInRange, invalidOption, oneOf } from '@tensorloom/core';

/** A closed interval `[min, max]`. */
export type Interval = readonly [number, number];

/**
 * An interval given as `[min, max]`, or as one number `m` that stands for `around(m)`
 * (`[-m, m]` for a delta, `[1 - m, 1 + m]` for a factor). Both ends must lie in
 * `[lowest, highest]` and `min ≤ max`.
 */
export function checkInterval(
  unit: string,
  arg: string,
  value: unknown,
  options: {
    around?: (m: number) => Interval;
    lowest?: number;
    highest?: number;
    /** `lowest` itself is excluded (an open bound). */
    open?: boolean;
    /** Say what a single number means, for the message. */
    single?: string;
  },
): Interval {
  const { around, lowest = -Infinity, highest = Infinity, open = false, single } = options;
  const inRange = (x: unknown): x is number =>
    typeof x === 'number' && Number.isFinite(x) && (open ? x > lowest : x >= lowest) && x <= highest;
  const bounds =
    lowest === -Infinity && highest === Infinity
      ? 'finite numbers'
      : highest === Infinity
        ? `numbers ${open ? '>' : '>='} ${lowest}`
        : lowest === -Infinity
          ? `numbers <= ${highest}`
          : `numbers in ${open ? '(' : '['}${lowest}, ${highest}]`;
  const expected = `${around && single ? `${single} or ` : ''}a [min, max] pair of ${bounds} with min <= max`;
  if (typeof value === 'number' && around) {
    if (!Number.isFinite(value) || value < 0) invalidOption(unit, arg, expected, value);
    const [lo, hi] = around(value);
    if (!inRange(lo) || !inRange(hi)) invalidOption(unit, arg, expected, value);
    return [lo, hi];
  }
  if (!Array.isArray(value) || value.length !== 2 || !inRange(value[0]) || !inRange(value[1]) || value[0] > value[1]) {
    invalidOption(unit, arg, expected, value);
  }
  return [value[0], value[1]];
}

/** A function argument (a transform). */
export function checkFunction(unit: string, arg: string, value: unknown): void {
  if (typeof value !== 'function') invalidOption(unit, arg, 'a transform function', value);
}

/** `[min, max]` clipping range or `null` (no clipping). */
export function checkClip(unit: string, value: unknown): Interval | null {
  if (value === null) return null;
  return checkInterval(unit, 'clip', value, {});
}

/** Positive-integer output size `{ height, width }`. */
export function checkSize(unit: string, height: unknown, width: unknown): [number, number] {
  return [intInRange(unit, 'height', height, 1), intInRange(unit, 'width', width, 1)];
}

/** The fill options every geometric warp shares, validated. */
export interface FillOptions {
  fillMode: 'constant' | 'reflect' | 'nearest';
  fillValue: number;
  maskFillValue: number;
}

/** Validates `fillMode` (default `'constant'`), `fillValue` and `maskFillValue` (default 0). */
export function checkFill(
  unit: string,
  config: { fillMode?: unknown; fillValue?: unknown; maskFillValue?: unknown },
  defaultMode: FillOptions['fillMode'] = 'constant',
): FillOptions {
  return {
    fillMode: oneOf(unit, 'fillMode', config.fillMode ?? defaultMode, ['constant', 'reflect', 'nearest'] as const),
    fillValue: finiteNumber(unit, 'fillValue', config.fillValue ?? 0),
    maskFillValue: finiteNumber(unit, 'maskFillValue', config.maskFillValue ?? 0),
  };
}

/** One number for both axes or a `[y, x]` pair, every entry a finite number ≥ `min`. */
export function checkYX(unit: string, arg: string, value: unknown, min = 0, integer = false): [number, number] {
  const kind = integer ? `an integer >= ${min}` : `a number >= ${min}`;
  const ok = (x: unknown): x is number =>
    typeof x === 'number' && Number.isFinite(x) && x >= min && (!integer || Number.isInteger(x));
  if (ok(value)) return [value, value];
  if (Array.isArray(value) && value.length === 2 && ok(value[0]) && ok(value[1])) return [value[0], value[1]];
  invalidOption(unit, arg, `${kind} or a [y, x] pair of them`, value);
}

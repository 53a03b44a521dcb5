import type { DataType, Tensor } from '@tensorflow/tfjs-core';
import { DTypeError, ShapeError, TensorloomError } from './errors.js';

/**
 * Every JavaScript typed array of numbers (tfjs's own `TypedArray` covers three). Data
 * pipelines and metrics accept any of them as one axis of numbers.
 *
 * @example
 * ```ts
 * const ids: TypedArray = new Int32Array([4, 8, 15]);
 * ```
 *
 * @group Checks
 */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

/**
 * A shape pattern: a number must match exactly, `null` matches any size.
 *
 * @example
 * ```ts
 * const image: ShapePattern = [null, 28, 28, 1]; // any batch of 28×28 grey images
 * ```
 *
 * @group Checks
 */
export type ShapePattern = readonly (number | null)[];

/**
 * Formats a shape the way error messages print it: `[32, 28, 28]`, `null` as `null`.
 *
 * @example
 * ```ts
 * formatShape([null, 28, 28]); // '[null, 28, 28]'
 * ```
 *
 * @group Checks
 */
export function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/**
 * Throws `error()` when `condition` is false. The error is built only on failure, so the
 * check costs nothing in hot paths.
 *
 * @param condition - what must hold.
 * @param error - builds the error (or its message, thrown as a {@link TensorloomError}).
 * @throws whatever `error` builds, when `condition` is false.
 * @example
 * ```ts
 * assert(rate >= 0 && rate < 1, () => new ConfigError(`Dropout: rate must be in [0, 1), got ${rate}`));
 * ```
 *
 * @group Checks
 */
export function assert(condition: unknown, error: () => Error | string): asserts condition {
  if (!condition) {
    const made = error();
    throw typeof made === 'string' ? new TensorloomError(made) : made;
  }
}

function subject(unit: string, arg: string): string {
  return unit === '' ? arg : `${unit}: ${arg}`;
}

/**
 * Asserts that a tensor (or shape) has the given rank.
 *
 * @param unit - who is checking, e.g. `"Conv2D 'conv1'"`.
 * @param arg - the argument's name, e.g. `'input'`.
 * @param x - the tensor or its shape.
 * @param rank - the expected rank, or a list of accepted ranks.
 * @param layout - optional description of the axes, e.g. `'[batch, h, w, c]'`.
 * @throws {@link ShapeError} naming the unit, the expected rank and the actual shape.
 * @example
 * ```ts
 * assertRank("Conv2D 'conv1'", 'input', x, 4, '[batch, h, w, c]');
 * // ShapeError: Conv2D 'conv1': input must be rank 4 [batch, h, w, c], got [28, 28]
 * ```
 *
 * @group Checks
 */
export function assertRank(
  unit: string,
  arg: string,
  x: Tensor | readonly number[],
  rank: number | readonly number[],
  layout = '',
): void {
  const shape = Array.isArray(x) ? (x as readonly number[]) : (x as Tensor).shape;
  const ranks = typeof rank === 'number' ? [rank] : rank;
  if (!ranks.includes(shape.length)) {
    const expected = ranks.length === 1 ? `rank ${ranks[0]}` : `rank ${ranks.join(' or ')}`;
    throw new ShapeError(
      `${subject(unit, arg)} must be ${expected}${layout ? ` ${layout}` : ''}, got ${formatShape(shape)}`,
    );
  }
}

/**
 * Asserts that a tensor's shape matches a pattern (`null` matches any size).
 *
 * @param unit - who is checking.
 * @param arg - the argument's name.
 * @param x - the tensor or its shape.
 * @param pattern - the expected shape; `null` entries match anything.
 * @throws {@link ShapeError} naming the first axis that differs.
 * @example
 * ```ts
 * assertShape("Dense 'fc1'", 'input', x, [null, 784]);
 * // ShapeError: Dense 'fc1': input axis 1 expected 784, got shape [32, 28, 28]
 * ```
 *
 * @group Checks
 */
export function assertShape(
  unit: string,
  arg: string,
  x: Tensor | readonly number[],
  pattern: ShapePattern,
): void {
  const shape = Array.isArray(x) ? (x as readonly number[]) : (x as Tensor).shape;
  if (shape.length !== pattern.length) {
    throw new ShapeError(
      `${subject(unit, arg)} expected shape ${formatShape(pattern)}, got ${formatShape(shape)}`,
    );
  }
  for (let axis = 0; axis < pattern.length; axis++) {
    const want = pattern[axis];
    if (want !== null && want !== undefined && shape[axis] !== want) {
      throw new ShapeError(
        `${subject(unit, arg)} axis ${axis} expected ${want}, got shape ${formatShape(shape)}`,
      );
    }
  }
}

/**
 * Asserts that two tensors (or shapes) have the same shape.
 *
 * @throws {@link ShapeError} naming both arguments and both shapes:
 *   `mse: yPred expected shape [2, 3] (the shape of yTrue), got [2, 2]`.
 * @example
 * ```ts
 * assertSameShape('meanSquaredError', 'yTrue', yTrue, 'yPred', yPred);
 * ```
 *
 * @group Checks
 */
export function assertSameShape(
  unit: string,
  argA: string,
  a: Tensor | readonly number[],
  argB: string,
  b: Tensor | readonly number[],
): void {
  const sa = Array.isArray(a) ? (a as readonly number[]) : (a as Tensor).shape;
  const sb = Array.isArray(b) ? (b as readonly number[]) : (b as Tensor).shape;
  if (sa.length !== sb.length || sa.some((d, i) => d !== sb[i])) {
    throw new ShapeError(`${subject(unit, argB)} expected shape ${formatShape(sa)} (the shape of ${argA}), got ${formatShape(sb)}`);
  }
}

/**
 * Asserts that a tensor has one of the accepted dtypes.
 *
 * @throws {@link DTypeError} naming the accepted dtypes and the actual one.
 * @example
 * ```ts
 * assertDtype("Embedding 'emb'", 'input', ids, 'int32');
 * ```
 *
 * @group Checks
 */
export function assertDtype(
  unit: string,
  arg: string,
  x: Tensor,
  dtype: DataType | readonly DataType[],
): void {
  const accepted = typeof dtype === 'string' ? [dtype] : dtype;
  if (!accepted.includes(x.dtype)) {
    throw new DTypeError(
      `${subject(unit, arg)} dtype expected ${accepted.join(' or ')}, got ${x.dtype}`,
    );
  }
}

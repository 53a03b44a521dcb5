import { ConfigError, tf } from '@tensorloom/core';
import type { TypedArray } from '../dataset/batched.js';

/**
 * What {@link select} accepts: an array, a typed array, or a tensor (indexed on axis 0).
 *
 * @example
 * ```ts
 * const a: Selectable = [1, 2, 3]; const b: Selectable = new Float32Array(3);
 * ```
 *
 * @group Splits
 */
export type Selectable = readonly unknown[] | TypedArray | tf.Tensor;

/**
 * The result of {@link select} on a `Selectable` of type `A`: the same kind of container.
 *
 * @example
 * ```ts
 * type S = Selected<Float32Array>; // Float32Array
 * ```
 *
 * @group Splits
 */
export type Selected<A> = A extends tf.Tensor ? tf.Tensor : A extends TypedArray ? A : A extends readonly (infer E)[] ? E[] : never;

/**
 * The items of `items` at `indices`, in that order, in the same kind of container (a tensor
 * is gathered on axis 0 into a new tensor the caller owns).
 *
 * @throws `ConfigError` naming the first index outside `[0, length)`.
 * @example
 * ```ts
 * select(['a', 'b', 'c'], Int32Array.from([2, 0])); // ['c', 'a']
 * ```
 *
 * @group Splits
 */
export function select<A extends Selectable>(items: A, indices: ArrayLike<number>): Selected<A> {
  const length = items instanceof tf.Tensor ? (items.shape[0] ?? 0) : (items as ArrayLike<unknown>).length;
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]!;
    if (!Number.isInteger(k) || k < 0 || k >= length) {
      throw new ConfigError(`select: indices[${i}] expected an index in [0, ${length}), got ${k}`);
    }
  }
  if (items instanceof tf.Tensor) {
    if (items.rank === 0) throw new ConfigError('select: items expected a tensor of rank >= 1, got a scalar');
    return tf.tidy(() => tf.gather(items, tf.tensor1d(Int32Array.from(indices), 'int32'))) as Selected<A>;
  }
  if (ArrayBuffer.isView(items)) {
    const src = items as TypedArray;
    const out = new (src.constructor as new (n: number) => TypedArray)(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = src[indices[i]!]!;
    return out as Selected<A>;
  }
  const src = items as readonly unknown[];
  const out = new Array<unknown>(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = src[indices[i]!];
  return out as Selected<A>;
}

/**
 * Applies a split (or fold) to parallel data: every field of `data` is {@link select}ed
 * with every part's indices.
 *
 * @param split - index arrays by part, e.g. from `randomSplit` or one of `kFold`'s folds.
 * @param data - parallel arrays, typed arrays or tensors, one entry per sample.
 * @returns for each part, the data's fields restricted to it. Tensors are new (caller owns).
 * @throws `ConfigError` when the fields have different lengths.
 * @example
 * ```ts
 * const { train, test } = applySplit(randomSplit(n, { test: 0.2 }, { seed: 1 }), { xs, labels });
 * train.xs; train.labels;
 * ```
 *
 * @group Splits
 */
export function applySplit<P extends { readonly [K in keyof P]: ArrayLike<number> }, D extends { readonly [F in keyof D]: Selectable }>(
  split: P,
  data: D,
): { [K in keyof P]: { [F in keyof D]: Selected<D[F]> } } {
  const lengths = Object.entries(data as Record<string, Selectable>).map(
    ([name, v]) => [name, v instanceof tf.Tensor ? (v.shape[0] ?? 0) : (v as ArrayLike<unknown>).length] as const,
  );
  for (const [name, length] of lengths) {
    if (length !== lengths[0]![1]) {
      throw new ConfigError(`applySplit: data.${name} expected length ${lengths[0]![1]} like data.${lengths[0]![0]}, got ${length}`);
    }
  }
  // check every index first, so a failure leaves no gathered tensor behind
  const n = lengths.length === 0 ? 0 : lengths[0]![1];
  for (const part of Object.keys(split)) {
    const indices = (split as Record<string, ArrayLike<number>>)[part]!;
    for (let i = 0; i < indices.length; i++) {
      const k = indices[i]!;
      if (!Number.isInteger(k) || k < 0 || k >= n) {
        throw new ConfigError(`applySplit: split.${part}[${i}] expected an index in [0, ${n}), got ${k}`);
      }
    }
  }
  const out: Record<string, Record<string, unknown>> = {};
  for (const part of Object.keys(split)) {
    const fields: Record<string, unknown> = {};
    for (const name of Object.keys(data)) {
      fields[name] = select((data as Record<string, Selectable>)[name]!, (split as Record<string, ArrayLike<number>>)[part]!);
    }
    out[part] = fields;
  }
  return out as { [K in keyof P]: { [F in keyof D]: Selected<D[F]> } };
}

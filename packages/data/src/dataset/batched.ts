import type { TypedArray, tf } from '@tensorloom/core';

/** Re-exported from `@tensorloom/core`, where it is defined once. */
export type { TypedArray } from '@tensorloom/core';

/**
 * The type of a batch of elements of type `T`, as `Dataset.batch` builds it: every tensor
 * gains a leading batch axis (a `Tensor3D` image becomes a `Tensor4D`), numbers and booleans
 * become a 1-D tensor, typed arrays a 2-D tensor, strings an array, and arrays and objects
 * keep their structure with each leaf batched.
 *
 * @example
 * ```ts
 * type B = Batched<{ image: tf.Tensor3D; label: number; name: string }>;
 * // { image: tf.Tensor4D; label: tf.Tensor1D; name: string[] }
 * ```
 *
 * @group Pipelines
 */
export type Batched<T> = T extends tf.Scalar
  ? tf.Tensor1D
  : T extends tf.Tensor1D
    ? tf.Tensor2D
    : T extends tf.Tensor2D
      ? tf.Tensor3D
      : T extends tf.Tensor3D
        ? tf.Tensor4D
        : T extends tf.Tensor4D
          ? tf.Tensor5D
          : T extends tf.Tensor
            ? tf.Tensor
            : T extends number | boolean
              ? tf.Tensor1D
              : T extends string
                ? string[]
                : T extends TypedArray
                  ? tf.Tensor2D
                  : T extends readonly unknown[]
                    ? { -readonly [K in keyof T]: Batched<T[K]> }
                    : T extends object
                      ? { [K in keyof T]: Batched<T[K]> }
                      : T[];

/**
 * The type of one element of a batch of type `T`, as `Dataset.unbatch` splits it: every
 * tensor loses its leading axis (a `Tensor4D` becomes a `Tensor3D`, a `Tensor1D` a scalar),
 * an array of plain values gives one value, and arrays of tensors and objects keep their
 * structure.
 *
 * @example
 * ```ts
 * type E = Unbatched<{ image: tf.Tensor4D; label: tf.Tensor1D; name: string[] }>;
 * // { image: tf.Tensor3D; label: tf.Scalar; name: string }
 * ```
 *
 * @group Pipelines
 */
export type Unbatched<T> = T extends tf.Tensor1D
  ? tf.Scalar
  : T extends tf.Tensor2D
    ? tf.Tensor1D
    : T extends tf.Tensor3D
      ? tf.Tensor2D
      : T extends tf.Tensor4D
        ? tf.Tensor3D
        : T extends tf.Tensor5D
          ? tf.Tensor4D
          : T extends tf.Tensor
            ? tf.Tensor
            : T extends TypedArray
              ? number
              : T extends readonly (string | number | boolean | null | undefined)[]
                ? T[number]
                : T extends readonly unknown[]
                  ? { -readonly [K in keyof T]: Unbatched<T[K]> }
                  : T extends object
                    ? { [K in keyof T]: Unbatched<T[K]> }
                    : never;

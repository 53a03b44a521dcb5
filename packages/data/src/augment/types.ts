import type { Rng, tf } from '@tensorloom/core';

/**
 * An image tensor in NHWC layout: one image `[height, width, channels]` or a batch
 * `[batch, height, width, channels]`, float32.
 *
 * @example
 * ```ts
 * const grey: ImageTensor = tf.zeros([28, 28, 1]) as tf.Tensor3D;
 * const batch: ImageTensor = tf.zeros([64, 28, 28, 1]) as tf.Tensor4D;
 * ```
 */
export type ImageTensor = tf.Tensor3D | tf.Tensor4D;

/**
 * A sample as an object: the image, an optional segmentation mask, and any other fields
 * (`label`, ids, ...), which transforms pass through unchanged.
 *
 * Geometric transforms move the mask with the image (nearest-neighbour, so class ids stay
 * class ids); pixel-value transforms leave it alone.
 *
 * @example
 * ```ts
 * const sample: ImageSample & { label: number } = {
 *   image: tf.zeros([32, 32, 3]) as tf.Tensor3D,
 *   mask: tf.zeros([32, 32], 'int32'),
 *   label: 3,
 * };
 * ```
 */
export interface ImageSample {
  /** The image: `[h, w, c]` or `[batch, h, w, c]`, float32. */
  image: ImageTensor;
  /**
   * Optional segmentation mask of class ids, int32 or float32: `[h, w]` or `[h, w, 1]` for a
   * single image, `[batch, h, w]` or `[batch, h, w, 1]` for a batch. Its height and width
   * must be the image's.
   */
  mask?: tf.Tensor;
}

/**
 * What a transform accepts and returns: a bare image tensor, or an {@link ImageSample}.
 *
 * @example
 * ```ts
 * const a: Sample = tf.zeros([28, 28, 1]) as tf.Tensor3D;
 * const b: Sample = { image: tf.zeros([28, 28, 1]) as tf.Tensor3D, mask: tf.zeros([28, 28], 'int32') };
 * ```
 */
export type Sample = ImageTensor | ImageSample;

/**
 * Where a transform takes its randomness from: an {@link @tensorloom/core!Rng} itself, or any
 * object with an `rng` field, such as the context `Dataset.map` passes (`{ index, epoch, rng }`).
 *
 * @example
 * ```ts
 * const direct: RngSource = rng(1);
 * const context: RngSource = { index: 0, epoch: 0, rng: rng(1) };
 * ```
 */
export type RngSource =
  | Rng
  | {
      /** The generator to draw from. */
      readonly rng: Rng;
    };

/**
 * A random augmentation: a pure function of a sample and an {@link RngSource}. The same
 * generator state gives the same output. It returns a sample of the same kind (bare tensor
 * in, bare tensor out; object in, object out with the other fields passed through) and
 * never disposes its input.
 *
 * @example
 * ```ts
 * const t: Transform = augment.randomFlip({ horizontal: true });
 * const flipped = t(image, rng(1));            // directly
 * const ds2 = ds.map(t);                       // or in a pipeline
 * ```
 */
export type Transform = <S extends Sample>(sample: S, rng: RngSource) => S;

/**
 * A transform that uses no randomness (resize, pad, normalize): the generator argument may
 * be left out. It can be used wherever a {@link Transform} is expected.
 *
 * @example
 * ```ts
 * const n: DeterministicTransform = augment.normalize({ mean: 0.1307, std: 0.3081 });
 * const x = n(image);
 * ```
 */
export type DeterministicTransform = <S extends Sample>(sample: S, rng?: RngSource) => S;

/**
 * How a geometric warp fills output pixels whose source lies outside the input
 * (tfjs's `tf.image.transform` modes, the same as Keras' preprocessing layers):
 *
 * - `'constant'`: the fill value (`fillValue` for the image, `maskFillValue` for the mask);
 * - `'reflect'`: mirror about the edge, repeating the edge pixel: `dcba|abcd|dcba`;
 * - `'nearest'`: repeat the edge pixel: `aaaa|abcd|dddd`.
 *
 * (tfjs also has `'wrap'`; it is left out because the cpu kernel of tfjs 4.22 wraps wrongly
 * beyond `size − 1` pixels: shifting the row `0 1 2 3` right by 3 gives `3 2 3 0`, not
 * `1 2 3 0`.)
 *
 * @example
 * ```ts
 * const mode: FillMode = 'reflect';
 * augment.randomRotation({ degrees: 10, fillMode: mode });
 * ```
 */
export type FillMode = 'constant' | 'reflect' | 'nearest';

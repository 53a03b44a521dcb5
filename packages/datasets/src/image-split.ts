import { ShapeError, ConfigError, tf } from '@tensorloom/core';
import { checkItemShape, checkTakeCount, sliceBounds } from './internal/views.js';

/**
 * One labelled image, as yielded by iterating an {@link ImageSplit}. The tensor is created
 * for this element only; the consumer owns it and must dispose it.
 *
 * @example
 * ```ts
 * for (const { image, label } of train.take(3)) {
 *   console.log(label, image.shape); // 7 [28, 28, 1]
 *   image.dispose();
 * }
 * ```
 *
 * @group Splits
 */
export interface ImageExample {
  /** The image, `[h, w, c]` float32 in [0, 1]. Owned by the consumer. */
  image: tf.Tensor3D;
  /** The class index, in `[0, classNames.length)`. */
  label: number;
}

/**
 * A batch of every image of a split as two tensors, owned by the caller.
 *
 * @example
 * ```ts
 * const { xs, ys } = test.take(256).tensors(); // xs [256, 28, 28, 1], ys [256] int32
 * ```
 *
 * @group Splits
 */
export interface ImageTensors {
  /** All images, `[n, h, w, c]` float32. */
  xs: tf.Tensor4D;
  /** All labels, `[n]` int32. */
  ys: tf.Tensor1D;
}

/**
 * One split (train, validation or test) of an image classification data set: the pixels
 * and labels as typed arrays, plus lazy per-element tensors.
 *
 * - `images` holds `count * h * w * c` float32 values in [0, 1], NHWC, image after image;
 * - iterating yields `{ image, label }` with a fresh `[h, w, c]` tensor per element
 *   (created when the element is reached; the consumer disposes it);
 * - `tensors()` stacks the whole split into `xs` / `ys` (the caller disposes them);
 * - `slice()` and `take()` return smaller splits that share the same arrays (no copy).
 *
 * @example
 * ```ts
 * import { mnist } from '@tensorloom/datasets';
 * const { train } = await mnist.load();
 * const small = train.take(64);
 * const { xs, ys } = small.tensors(); // [64, 28, 28, 1] float32, [64] int32
 * xs.dispose(); ys.dispose();
 * ```
 *
 * @group Splits
 */
export class ImageSplit implements Iterable<ImageExample> {
  /** The pixels, `count * h * w * c` float32 values in [0, 1], NHWC order. */
  readonly images: Float32Array;
  /** The class index of each image. */
  readonly labels: Int32Array;
  /** How many images the split holds. */
  readonly count: number;
  /** The shape of one image, `[h, w, c]`. */
  readonly shape: readonly [number, number, number];
  /** The name of each class, indexed by label. */
  readonly classNames: readonly string[];

  /**
   * @param images - `n * h * w * c` pixel values, NHWC.
   * @param labels - `n` labels in `[0, classNames.length)`.
   * @param shape - the shape of one image, `[h, w, c]`.
   * @param classNames - the name of each class.
   * @throws `ShapeError` when the array lengths do not match `shape` and each other.
   * @throws `ConfigError` when a label is outside `[0, classNames.length)`.
   */
  constructor(
    images: Float32Array,
    labels: Int32Array,
    shape: readonly [number, number, number],
    classNames: readonly string[],
  ) {
    checkItemShape('ImageSplit', shape);
    const size = shape[0] * shape[1] * shape[2];
    if (images.length !== labels.length * size) {
      throw new ShapeError(
        `ImageSplit: images expected ${labels.length} * ${size} = ${labels.length * size} values for ${labels.length} labels of shape [${shape.join(', ')}], got ${images.length}`,
      );
    }
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i] as number;
      if (label < 0 || label >= classNames.length) {
        throw new ConfigError(`ImageSplit: labels[${i}] expected an integer in [0, ${classNames.length}), got ${label}`);
      }
    }
    this.images = images;
    this.labels = labels;
    this.count = labels.length;
    this.shape = shape;
    this.classNames = classNames;
  }

  /**
   * Yields `{ image, label }` for each element, creating the image tensor only when the
   * element is reached. Each tensor belongs to the consumer.
   *
   * @example
   * ```ts
   * for (const { image, label } of split) { use(image, label); image.dispose(); }
   * ```
   */
  *[Symbol.iterator](): Iterator<ImageExample> {
    const size = this.shape[0] * this.shape[1] * this.shape[2];
    for (let i = 0; i < this.count; i++) {
      // A copy, so that a consumer writing into `dataSync()` cannot corrupt the split.
      const pixels = this.images.slice(i * size, (i + 1) * size);
      yield { image: tf.tensor3d(pixels, [...this.shape], 'float32'), label: this.labels[i] as number };
    }
  }

  /**
   * The whole split as tensors: `xs` `[n, h, w, c]` float32 and `ys` `[n]` int32.
   * The caller owns both. Use `slice()` first for part of a large split.
   *
   * @example
   * ```ts
   * const { xs, ys } = split.tensors();
   * ```
   */
  tensors(): ImageTensors {
    const [h, w, c] = this.shape;
    return {
      xs: tf.tensor4d(this.images.slice(), [this.count, h, w, c], 'float32'),
      ys: tf.tensor1d(this.labels.slice(), 'int32'),
    };
  }

  /**
   * Elements `start` (inclusive) to `end` (exclusive) as a new split sharing this one's
   * arrays. Bounds work like `Array.prototype.slice`: negative values count from the end
   * and out-of-range values are clamped.
   *
   * @example
   * ```ts
   * const firstHundred = split.slice(0, 100);
   * const lastTen = split.slice(-10);
   * ```
   */
  slice(start = 0, end = this.count): ImageSplit {
    const [s, e] = sliceBounds(this.count, start, end);
    const size = this.shape[0] * this.shape[1] * this.shape[2];
    return new ImageSplit(this.images.subarray(s * size, e * size), this.labels.subarray(s, e), this.shape, this.classNames);
  }

  /**
   * The first `n` elements (all of them when `n >= count`), sharing this split's arrays.
   *
   * @throws `ConfigError` when `n` is not a non-negative integer.
   * @example
   * ```ts
   * const tiny = split.take(16);
   * ```
   */
  take(n: number): ImageSplit {
    checkTakeCount('ImageSplit.take', n);
    return this.slice(0, n);
  }

  /**
   * How many elements of each class the split holds, indexed by label.
   *
   * @example
   * ```ts
   * split.classCounts(); // e.g. [200, 225, 198, ...]
   * ```
   */
  classCounts(): number[] {
    const counts = new Array<number>(this.classNames.length).fill(0);
    for (const label of this.labels) counts[label] = (counts[label] as number) + 1;
    return counts;
  }
}

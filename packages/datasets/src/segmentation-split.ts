import { ConfigError, ShapeError, tf } from '@tensorloom/core';
import { checkItemShape, checkTakeCount, sliceBounds } from './internal/views.js';

/**
 * One canvas and its per-pixel class mask, as yielded by iterating a
 * {@link SegmentationSplit}. Both tensors are created for this element only; the consumer
 * owns them and must dispose them.
 *
 * @example
 * ```ts
 * for (const { image, mask } of train.take(2)) {
 *   console.log(image.shape, mask.shape, mask.dtype); // [64, 64, 1] [64, 64] 'int32'
 *   image.dispose(); mask.dispose();
 * }
 * ```
 *
 * @group Splits
 */
export interface SegmentationExample {
  /** The canvas, `[h, w, 1]` float32 in [0, 1]. Owned by the consumer. */
  image: tf.Tensor3D;
  /** The class of each pixel, `[h, w]` int32 in `[0, classNames.length)`. Owned by the consumer. */
  mask: tf.Tensor2D;
}

/**
 * A whole segmentation split as two tensors, owned by the caller.
 *
 * @example
 * ```ts
 * const { xs, masks } = test.take(32).tensors(); // [32, 64, 64, 1] float32, [32, 64, 64] int32
 * ```
 *
 * @group Splits
 */
export interface SegmentationTensors {
  /** All canvases, `[n, h, w, 1]` float32. */
  xs: tf.Tensor4D;
  /** All masks, `[n, h, w]` int32. */
  masks: tf.Tensor3D;
}

/**
 * One split of a segmentation data set: canvases and per-pixel class masks as typed
 * arrays, plus lazy per-element tensors. It mirrors {@link ImageSplit}: iterate for
 * `{ image, mask }`, `tensors()` for the whole split, `slice()` / `take()` for views.
 *
 * @example
 * ```ts
 * import { mnistSegmentation } from '@tensorloom/datasets';
 * const { train } = await mnistSegmentation.load({ trainCount: 100, testCount: 10 });
 * const { xs, masks } = train.take(8).tensors(); // [8, 64, 64, 1], [8, 64, 64] int32
 * xs.dispose(); masks.dispose();
 * ```
 *
 * @group Splits
 */
export class SegmentationSplit implements Iterable<SegmentationExample> {
  /** The canvases, `count * h * w * c` float32 values in [0, 1], NHWC order. */
  readonly images: Float32Array;
  /** The class of each pixel, `count * h * w` values in `[0, classNames.length)`. */
  readonly masks: Uint8Array;
  /** How many canvases the split holds. */
  readonly count: number;
  /** The shape of one canvas, `[h, w, c]`; the mask of one canvas is `[h, w]`. */
  readonly shape: readonly [number, number, number];
  /** The name of each mask class, indexed by class. */
  readonly classNames: readonly string[];

  /**
   * @param images - `n * h * w * c` pixel values, NHWC.
   * @param masks - `n * h * w` class indices.
   * @param shape - the shape of one canvas, `[h, w, c]`.
   * @param classNames - the name of each mask class.
   * @throws `ShapeError` when the array lengths do not match `shape` and each other.
   * @throws `ConfigError` when a mask value is outside `[0, classNames.length)`.
   */
  constructor(
    images: Float32Array,
    masks: Uint8Array,
    shape: readonly [number, number, number],
    classNames: readonly string[],
  ) {
    checkItemShape('SegmentationSplit', shape);
    const plane = shape[0] * shape[1];
    if (masks.length % plane !== 0) {
      throw new ShapeError(`SegmentationSplit: masks expected a multiple of ${plane} values (h * w), got ${masks.length}`);
    }
    const count = masks.length / plane;
    if (images.length !== count * plane * shape[2]) {
      throw new ShapeError(
        `SegmentationSplit: images expected ${count * plane * shape[2]} values for ${count} masks of shape [${shape.join(', ')}], got ${images.length}`,
      );
    }
    for (let i = 0; i < masks.length; i++) {
      if ((masks[i] as number) >= classNames.length) {
        throw new ConfigError(
          `SegmentationSplit: masks[${i}] expected an integer in [0, ${classNames.length}), got ${masks[i]}`,
        );
      }
    }
    this.images = images;
    this.masks = masks;
    this.count = count;
    this.shape = shape;
    this.classNames = classNames;
  }

  /**
   * Yields `{ image, mask }` for each canvas, creating both tensors only when the element
   * is reached. Each tensor belongs to the consumer.
   *
   * @example
   * ```ts
   * for (const { image, mask } of split) { use(image, mask); image.dispose(); mask.dispose(); }
   * ```
   */
  *[Symbol.iterator](): Iterator<SegmentationExample> {
    const [h, w, c] = this.shape;
    const plane = h * w;
    for (let i = 0; i < this.count; i++) {
      const pixels = this.images.slice(i * plane * c, (i + 1) * plane * c);
      const mask = Int32Array.from(this.masks.subarray(i * plane, (i + 1) * plane));
      yield { image: tf.tensor3d(pixels, [h, w, c], 'float32'), mask: tf.tensor2d(mask, [h, w], 'int32') };
    }
  }

  /**
   * The whole split as tensors: `xs` `[n, h, w, c]` float32 and `masks` `[n, h, w]` int32.
   * The caller owns both.
   *
   * @example
   * ```ts
   * const { xs, masks } = split.take(16).tensors();
   * ```
   */
  tensors(): SegmentationTensors {
    const [h, w, c] = this.shape;
    return {
      xs: tf.tensor4d(this.images.slice(), [this.count, h, w, c], 'float32'),
      masks: tf.tensor3d(Int32Array.from(this.masks), [this.count, h, w], 'int32'),
    };
  }

  /**
   * Canvases `start` (inclusive) to `end` (exclusive) as a new split sharing this one's
   * arrays; bounds work like `Array.prototype.slice`.
   *
   * @example
   * ```ts
   * const firstTen = split.slice(0, 10);
   * ```
   */
  slice(start = 0, end = this.count): SegmentationSplit {
    const [s, e] = sliceBounds(this.count, start, end);
    const [h, w, c] = this.shape;
    return new SegmentationSplit(
      this.images.subarray(s * h * w * c, e * h * w * c),
      this.masks.subarray(s * h * w, e * h * w),
      this.shape,
      this.classNames,
    );
  }

  /**
   * The first `n` canvases (all of them when `n >= count`), sharing this split's arrays.
   *
   * @throws `ConfigError` when `n` is not a non-negative integer.
   * @example
   * ```ts
   * const tiny = split.take(4);
   * ```
   */
  take(n: number): SegmentationSplit {
    checkTakeCount('SegmentationSplit.take', n);
    return this.slice(0, n);
  }
}

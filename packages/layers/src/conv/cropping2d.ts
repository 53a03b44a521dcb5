import { ShapeError, assertRank, formatShape, tf } from '@tensorloom/core';
import type { ModuleConfig, Shape } from '../module/module.js';
import { toSides } from './internal/conv-utils.js';
import { ShapeCheckedLayer } from './internal/shape-checked-layer.js';
import type { Sides2D } from './types.js';

/**
 * Configuration of {@link Cropping2D}.
 *
 * @example
 * ```ts
 * const config: Cropping2DConfig = { cropping: [[2, 2], [4, 4]] };
 * ```
 *
 * @group Padding and resampling
 */
export interface Cropping2DConfig extends ModuleConfig {
  /** Rows and columns to remove, see {@link Sides2D}. Required. */
  cropping: Sides2D;
}

/**
 * The output shape of {@link Cropping2D}: height and width shrink by the cropping.
 *
 * @param inputShape - `[batch, h, w, channels]`.
 * @param cropping - rows / columns to remove per side, see {@link Sides2D}.
 * @param unit - names the caller in error messages.
 * @returns `[batch, h − top − bottom, w − left − right, channels]`.
 * @throws ShapeError when the input is not rank 4 or the cropping leaves nothing.
 * @example
 * ```ts
 * cropping2dOutputShape([null, 32, 32, 1], 2); // [null, 28, 28, 1]
 * ```
 *
 * @group Padding and resampling
 */
export function cropping2dOutputShape(inputShape: Shape, cropping: Sides2D, unit = 'cropping2d'): Shape {
  const sides = toSides(unit, 'cropping', cropping);
  assertRank(unit, 'input', inputShape as readonly number[], 4, '[batch, h, w, c]');
  const out: Shape = [inputShape[0] ?? null, null, null, inputShape[3] ?? null];
  return out.map((d, axis) => {
    if (axis !== 1 && axis !== 2) return d;
    const n = inputShape[axis];
    const [before, after] = sides[axis - 1]!;
    if (n === null || n === undefined) return null;
    if (n <= before + after) {
      throw new ShapeError(`${unit}: input axis ${axis} expected > ${before + after} (cropping ${before} + ${after}), got shape ${formatShape(inputShape)}`);
    }
    return n - before - after;
  });
}

/**
 * Removes rows and columns from the borders of NHWC images.
 *
 * @param x - `[batch, h, w, channels]`.
 * @param cropping - rows / columns to remove per side, see {@link Sides2D}.
 * @returns `[batch, h − top − bottom, w − left − right, channels]`.
 * @example
 * ```ts
 * const y = cropping2d(tf.ones([1, 6, 6, 1]), [[1, 2], [0, 3]]); // [1, 3, 3, 1]
 * ```
 *
 * @group Padding and resampling
 */
export function cropping2d(x: tf.Tensor, cropping: Sides2D): tf.Tensor {
  const [[top, bottom], [left, right]] = toSides('cropping2d', 'cropping', cropping);
  const [b, h, w, c] = x.shape as [number, number, number, number];
  return tf.slice(x, [0, top, left, 0], [b, h - top - bottom, w - left - right, c]);
}

/**
 * Crops rows and columns from the borders of images, e.g. to match a U-Net skip connection
 * to a smaller decoder map.
 *
 * Input shape: `[batch, height, width, channels]`.
 *
 * Output shape: `[batch, height − top − bottom, width − left − right, channels]`.
 *
 * @example
 * ```ts
 * const crop = new Cropping2D({ cropping: 2 });
 * const y = crop.apply(tf.zeros([4, 32, 32, 1])); // [4, 28, 28, 1]
 * ```
 *
 * @group Padding and resampling
 */
export class Cropping2D extends ShapeCheckedLayer {
  /** `[[top, bottom], [left, right]]`. */
  readonly cropping: [[number, number], [number, number]];

  constructor(config: Cropping2DConfig) {
    super(config);
    this.cropping = toSides(`Cropping2D '${this.name}'`, 'cropping', config.cropping);
  }

  protected shapeFor(inputShape: Shape): Shape {
    return cropping2dOutputShape(inputShape, this.cropping, this.label);
  }

  protected forward(x: tf.Tensor): tf.Tensor {
    return cropping2d(x, this.cropping);
  }
}

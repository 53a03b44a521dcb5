import { assertRank, tf } from '@tensorloom/core';
import type { ModuleConfig, Shape } from '../module/module.js';
import { toSides } from './internal/conv-utils.js';
import { ShapeCheckedLayer } from './internal/shape-checked-layer.js';
import type { Sides2D } from './types.js';

/**
 * Configuration of {@link ZeroPadding2D}.
 *
 * @example
 * ```ts
 * const config: ZeroPadding2DConfig = { padding: [[0, 1], [0, 1]] }; // one row below, one column right
 * ```
 *
 * @group Padding and resampling
 */
export interface ZeroPadding2DConfig extends ModuleConfig {
  /** Zeros to add, see {@link Sides2D}. Default `1` (one on every side). */
  padding?: Sides2D;
}

/**
 * The output shape of {@link ZeroPadding2D}: height and width grow by the padding.
 *
 * @param inputShape - `[batch, h, w, channels]`.
 * @param padding - zeros per side, see {@link Sides2D}.
 * @param unit - names the caller in error messages.
 * @returns `[batch, top + h + bottom, left + w + right, channels]`.
 * @throws ShapeError when the input is not rank 4.
 * @example
 * ```ts
 * zeroPadding2dOutputShape([null, 28, 28, 1], 2); // [null, 32, 32, 1]
 * ```
 *
 * @group Padding and resampling
 */
export function zeroPadding2dOutputShape(inputShape: Shape, padding: Sides2D = 1, unit = 'zeroPadding2d'): Shape {
  const [[top, bottom], [left, right]] = toSides(unit, 'padding', padding);
  assertRank(unit, 'input', inputShape as readonly number[], 4, '[batch, h, w, c]');
  const grow = (n: number | null | undefined, by: number) => (n === null || n === undefined ? null : n + by);
  return [inputShape[0] ?? null, grow(inputShape[1], top + bottom), grow(inputShape[2], left + right), inputShape[3] ?? null];
}

/**
 * Pads NHWC images with zeros along height and width.
 *
 * @param x - `[batch, h, w, channels]`.
 * @param padding - zeros per side, see {@link Sides2D}. Default `1`.
 * @returns `[batch, top + h + bottom, left + w + right, channels]`.
 * @example
 * ```ts
 * const y = zeroPadding2d(tf.ones([1, 2, 2, 1]), [[1, 0], [0, 2]]); // [1, 3, 4, 1]
 * ```
 *
 * @group Padding and resampling
 */
export function zeroPadding2d(x: tf.Tensor, padding: Sides2D = 1): tf.Tensor {
  const [rows, cols] = toSides('zeroPadding2d', 'padding', padding);
  return tf.pad(x, [[0, 0], rows, cols, [0, 0]]);
}

/**
 * Adds rows and columns of zeros around images, e.g. before a 'valid' convolution.
 *
 * Input shape: `[batch, height, width, channels]`.
 *
 * Output shape: `[batch, top + height + bottom, left + width + right, channels]`.
 *
 * @example
 * ```ts
 * const pad = new ZeroPadding2D({ padding: 2 });
 * const y = pad.apply(tf.zeros([4, 28, 28, 1])); // [4, 32, 32, 1]
 * ```
 *
 * @group Padding and resampling
 */
export class ZeroPadding2D extends ShapeCheckedLayer {
  /** `[[top, bottom], [left, right]]`. */
  readonly padding: [[number, number], [number, number]];

  constructor(config: ZeroPadding2DConfig = {}) {
    super(config);
    this.padding = toSides(`ZeroPadding2D '${this.name}'`, 'padding', config.padding ?? 1);
  }

  protected shapeFor(inputShape: Shape): Shape {
    return zeroPadding2dOutputShape(inputShape, this.padding, this.label);
  }

  protected forward(x: tf.Tensor): tf.Tensor {
    return zeroPadding2d(x, this.padding);
  }
}

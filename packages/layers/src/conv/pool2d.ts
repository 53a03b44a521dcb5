import { tf } from '@tensorloom/core';
import type { ModuleConfig, Shape } from '../module/module.js';
import { checkPadding, samePadding, toPair, windowOutputSizes } from './internal/conv-utils.js';
import type { Pair } from './internal/conv-utils.js';
import { ShapeCheckedLayer } from './internal/shape-checked-layer.js';
import type { ConvPadding, Size2D } from './types.js';

/**
 * The reduction of a pooling window: its maximum, or its mean.
 *
 * @example
 * ```ts
 * const mode: PoolMode = 'max';
 * ```
 *
 * @group Pooling
 */
export type PoolMode = 'max' | 'avg';

/**
 * Configuration of {@link MaxPool2D} and {@link AvgPool2D}.
 *
 * @example
 * ```ts
 * const config: Pool2DConfig = { poolSize: 2 }; // halves height and width
 * ```
 *
 * @group Pooling
 */
export interface Pool2DConfig extends ModuleConfig {
  /** Window `[height, width]`, or one number for both. Default `2`. */
  poolSize?: Size2D;
  /** Step between windows, `[h, w]` or one number. Default: `poolSize` (windows that tile the input). */
  strides?: Size2D | null;
  /**
   * Border handling, see {@link ConvPadding}. With `'same'`, padded positions never count:
   * max ignores them and the average divides by the number of real elements in the window
   * (as TensorFlow and tfjs). Default `'valid'`.
   */
  padding?: ConvPadding;
}

/**
 * Options of the functional {@link pool2d}.
 *
 * @example
 * ```ts
 * const options: Pool2DOptions = { poolSize: 3, strides: 2, padding: 'same' };
 * ```
 *
 * @group Pooling
 */
export interface Pool2DOptions {
  /** Window size. Default `2`. */
  poolSize?: Size2D;
  /** Step between windows. Default: `poolSize`. */
  strides?: Size2D | null;
  /** Border handling. Default `'valid'`. */
  padding?: ConvPadding;
}

interface Geometry {
  poolSize: Pair;
  strides: Pair;
  padding: ConvPadding;
}

function geometry(unit: string, options: Pool2DOptions): Geometry {
  const poolSize = toPair(unit, 'poolSize', options.poolSize, 2);
  return {
    poolSize,
    strides: toPair(unit, 'strides', options.strides ?? undefined, poolSize),
    padding: checkPadding<ConvPadding>(unit, options.padding, ['valid', 'same'], 'valid'),
  };
}

/**
 * The output shape of 2-D pooling: each spatial size `n` becomes `⌊(n − k) / s⌋ + 1` with
 * `'valid'` padding and `⌈n / s⌉` with `'same'`; channels are unchanged.
 *
 * @param inputShape - `[batch, h, w, channels]`.
 * @param options - window geometry.
 * @param unit - names the caller in error messages.
 * @returns `[batch, outH, outW, channels]`.
 * @throws ShapeError when the input is not rank 4, or a `'valid'` window is larger than the input.
 * @example
 * ```ts
 * pool2dOutputShape([null, 28, 28, 8], { poolSize: 2 });                            // [null, 14, 14, 8]
 * pool2dOutputShape([null, 7, 7, 8], { poolSize: 3, strides: 2, padding: 'same' }); // [null, 4, 4, 8]
 * ```
 *
 * @group Pooling
 */
export function pool2dOutputShape(inputShape: Shape, options: Pool2DOptions = {}, unit = 'pool2d'): Shape {
  const g = geometry(unit, options);
  const [h, w] = windowOutputSizes(unit, inputShape, '[batch, h, w, c]', g.poolSize, g.strides, [1, 1], g.padding, 'poolSize');
  return [inputShape[0] ?? null, h, w, inputShape[3] ?? null];
}

/** How many real (not padding) positions each window along one axis covers. */
function windowCounts(n: number, k: number, s: number, before: number, windows: number): number[] {
  return Array.from({ length: windows }, (_, i) => Math.min(n, i * s - before + k) - Math.max(0, i * s - before));
}

/**
 * Average pooling with 'same' padding as an explicit zero padding, a 'valid' average and a
 * constant per-window rescaling `(k_h·k_w) / count`, so that the mean is over real elements
 * only. Why not `tf.avgPool(x, ..., 'same')`: its forward pass divides by the count of real
 * elements, but its gradient (the cpu and wasm AvgPoolGrad kernels of tfjs 4.22) divides by
 * the full window size, so border gradients come out too small. Every op here has a correct
 * gradient.
 */
function avgPoolSame(x: tf.Tensor4D, poolSize: Pair, strides: Pair): tf.Tensor4D {
  const [, h, w] = x.shape;
  const [top, bottom] = samePadding(h, poolSize[0], strides[0]);
  const [left, right] = samePadding(w, poolSize[1], strides[1]);
  if (top + bottom + left + right === 0) return tf.avgPool(x, poolSize, strides, 'valid');
  const padded = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]); // (B, H + t + b, W + l + r, C)
  const mean = tf.avgPool(padded, poolSize, strides, 'valid'); // (B, H_out, W_out, C), padding counted
  const [, hOut, wOut] = mean.shape;
  const rows = windowCounts(h, poolSize[0], strides[0], top, hOut);
  const cols = windowCounts(w, poolSize[1], strides[1], left, wOut);
  const area = poolSize[0] * poolSize[1];
  const scale = new Float32Array(hOut * wOut);
  rows.forEach((r, i) => cols.forEach((c, j) => (scale[i * wOut + j] = area / (r * c))));
  return tf.mul(mean, tf.tensor4d(scale, [1, hOut, wOut, 1])); // (B, H_out, W_out, C)
}

/**
 * 2-D max or average pooling over NHWC images. With `'same'` padding, padded positions are
 * ignored (the average is over the real elements of each window, as in TensorFlow), and the
 * gradient agrees with that (tfjs's own average-pool gradient does not at the border).
 *
 * @param x - `[batch, h, w, channels]`.
 * @param mode - `'max'` or `'avg'`.
 * @param options - window geometry.
 * @returns `[batch, outH, outW, channels]` (see {@link pool2dOutputShape}).
 * @example
 * ```ts
 * const y = pool2d(tf.ones([1, 4, 4, 3]), 'max', { poolSize: 2 }); // [1, 2, 2, 3]
 * ```
 *
 * @group Pooling
 */
export function pool2d(x: tf.Tensor, mode: PoolMode, options: Pool2DOptions = {}): tf.Tensor {
  const g = geometry('pool2d', options);
  return tf.tidy(() => {
    const x4 = x as tf.Tensor4D;
    if (mode === 'max') return tf.maxPool(x4, g.poolSize, g.strides, g.padding);
    return g.padding === 'same' ? avgPoolSame(x4, g.poolSize, g.strides) : tf.avgPool(x4, g.poolSize, g.strides, 'valid');
  });
}

/**
 * Max or average pooling over 2-D windows of NHWC images, by `mode`: the body of `MaxPool2D` and
 * `AvgPool2D`, which fix the mode.
 */
abstract class Pool2DLayer extends ShapeCheckedLayer {
  /** The configuration with defaults applied and sizes as `[h, w]`. */
  readonly config: {
    /** `[ph, pw]`. */
    poolSize: [number, number];
    /** `[sh, sw]`. */
    strides: [number, number];
    /** Border handling. */
    padding: ConvPadding;
  };

  constructor(
    config: Pool2DConfig,
    private readonly mode: PoolMode,
  ) {
    super(config);
    this.config = geometry(this.label, config);
  }

  protected shapeFor(inputShape: Shape): Shape {
    return pool2dOutputShape(inputShape, this.config, this.label);
  }

  protected forward(x: tf.Tensor): tf.Tensor {
    return pool2d(x, this.mode, this.config);
  }
}

/**
 * Max pooling over 2-D windows: the largest value of each window, per channel.
 *
 * Input shape: `[batch, height, width, channels]`.
 *
 * Output shape: `[batch, outHeight, outWidth, channels]`, see {@link pool2dOutputShape}.
 *
 * @example
 * ```ts
 * const pool = new MaxPool2D({ poolSize: 2 });
 * const y = pool.apply(tf.zeros([4, 28, 28, 8])); // [4, 14, 14, 8]
 * ```
 *
 * @group Pooling
 */
export class MaxPool2D extends Pool2DLayer {
  constructor(config: Pool2DConfig = {}) {
    super(config, 'max');
  }
}

/**
 * Average pooling over 2-D windows: the mean of each window, per channel. With `'same'`
 * padding, the mean is over the window's real elements only.
 *
 * Input shape: `[batch, height, width, channels]`.
 *
 * Output shape: `[batch, outHeight, outWidth, channels]`, see {@link pool2dOutputShape}.
 *
 * @example
 * ```ts
 * const pool = new AvgPool2D({ poolSize: 3, strides: 1, padding: 'same' });
 * const y = pool.apply(tf.zeros([4, 28, 28, 8])); // [4, 28, 28, 8]
 * ```
 *
 * @group Pooling
 */
export class AvgPool2D extends Pool2DLayer {
  constructor(config: Pool2DConfig = {}) {
    super(config, 'avg');
  }
}

import { ConfigError, assertRank, tf } from '@tensorloom/core';
import type { ModuleConfig, Shape } from '../module/module.js';
import { toPair } from './internal/conv-utils.js';
import type { Pair } from './internal/conv-utils.js';
import { ShapeCheckedLayer } from './internal/shape-checked-layer.js';
import type { Size2D } from './types.js';

/**
 * How {@link UpSampling2D} fills the new pixels.
 *
 * - `'nearest'`: each input pixel repeated `size[0] × size[1]` times.
 * - `'bilinear'`: linear interpolation along each axis. By default with tfjs-layers' (and
 *   TensorFlow 1's) mapping: output pixel `i` samples input position `i / size`, clamped at
 *   the last pixel. With `halfPixelCenters: true`, Keras 2+'s and PyTorch's
 *   (`align_corners=False`) mapping: `(i + 0.5) / size − 0.5`, clamped at both ends. The
 *   two differ by a fraction of a pixel; pick the one the weights were trained with.
 *
 * @example
 * ```ts
 * const interpolation: Interpolation = 'bilinear';
 * ```
 *
 * @group Padding and resampling
 */
export type Interpolation = 'nearest' | 'bilinear';

/**
 * Configuration of {@link UpSampling2D}.
 *
 * @example
 * ```ts
 * const config: UpSampling2DConfig = { size: 2, interpolation: 'bilinear' };
 * ```
 *
 * @group Padding and resampling
 */
export interface UpSampling2DConfig extends ModuleConfig {
  /** Upsampling factors `[rows, cols]`, or one number for both. Default `2`. */
  size?: Size2D;
  /** How new pixels are filled, see {@link Interpolation}. Default `'nearest'`. */
  interpolation?: Interpolation;
  /** Bilinear only: sample at half-pixel centres (Keras 2+, PyTorch) instead of tfjs-layers' mapping. Default `false`. */
  halfPixelCenters?: boolean;
}

/**
 * Options of the functional {@link upSampling2d}.
 *
 * @example
 * ```ts
 * const options: UpSampling2DOptions = { size: [2, 3] };
 * ```
 *
 * @group Padding and resampling
 */
export interface UpSampling2DOptions {
  /** Upsampling factors. Default `2`. */
  size?: Size2D;
  /** How new pixels are filled. Default `'nearest'`. */
  interpolation?: Interpolation;
  /** Bilinear only: sample at half-pixel centres. Default `false`. */
  halfPixelCenters?: boolean;
}

function resolve(unit: string, options: UpSampling2DOptions): { size: Pair; interpolation: Interpolation; halfPixelCenters: boolean } {
  const interpolation = options.interpolation ?? 'nearest';
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    throw new ConfigError(`${unit}: interpolation expected 'nearest' or 'bilinear', got '${String(interpolation)}'`);
  }
  const halfPixelCenters = options.halfPixelCenters ?? false;
  if (halfPixelCenters && interpolation !== 'bilinear') {
    throw new ConfigError(`${unit}: halfPixelCenters expected only with interpolation 'bilinear', got interpolation '${interpolation}'`, {
      help: 'nearest repetition by an integer factor is the same with either mapping',
    });
  }
  return { size: toPair(unit, 'size', options.size, 2), interpolation, halfPixelCenters };
}

/**
 * The output shape of {@link UpSampling2D}: height and width multiplied by `size`.
 *
 * @param inputShape - `[batch, h, w, channels]`.
 * @param options - the factors.
 * @param unit - names the caller in error messages.
 * @returns `[batch, h·size[0], w·size[1], channels]`.
 * @throws ShapeError when the input is not rank 4.
 * @example
 * ```ts
 * upSampling2dOutputShape([null, 7, 7, 16], { size: 2 }); // [null, 14, 14, 16]
 * ```
 *
 * @group Padding and resampling
 */
export function upSampling2dOutputShape(inputShape: Shape, options: UpSampling2DOptions = {}, unit = 'upSampling2d'): Shape {
  const { size } = resolve(unit, options);
  assertRank(unit, 'input', inputShape as readonly number[], 4, '[batch, h, w, c]');
  const scale = (n: number | null | undefined, s: number) => (n === null || n === undefined ? null : n * s);
  return [inputShape[0] ?? null, scale(inputShape[1], size[0]), scale(inputShape[2], size[1]), inputShape[3] ?? null];
}

/**
 * Upsamples `(N, L, D)` by an integer factor `s` along axis 1 → `(N, L·s, D)`. Output step
 * `q·s + r` is `x[q]` moved a fraction of the way towards a neighbour: towards `x[q + 1]` by
 * `wNext[r]` and towards `x[q − 1]` by `wPrev[r]`, neighbours clamped at the ends. Nearest
 * repetition is all-zero weights; bilinear uses the sampling offsets of its mapping.
 *
 * Why not tf.image.resizeNearestNeighbor / resizeBilinear: their cpu gradient kernels in
 * tfjs 4.22 are wrong (ResizeNearestNeighborGrad reads dy at the input's batch stride, so
 * every batch entry after the first gets a wrong gradient; ResizeBilinearGrad returns its
 * result with height and width swapped, which throws on non-square images). These are
 * rank-4 broadcast multiplies, slices and concats, which are exact and differentiable on
 * every backend.
 */
function upsampleAxis(x: tf.Tensor3D, s: number, wNext: readonly number[] | null, wPrev: readonly number[] | null): tf.Tensor3D {
  if (s === 1) return x; // both mappings sample the input pixels themselves
  const [n, l, d] = x.shape;
  const x4 = tf.reshape(x, [n, l, 1, d]); // (N, L, 1, D)
  let y: tf.Tensor = tf.mul(x4, tf.ones([1, 1, s, 1])); // (N, L, s, D)
  const toward = (neighbour: tf.Tensor3D, w: readonly number[]): void => {
    const delta = tf.sub(tf.reshape(neighbour, [n, l, 1, d]), x4); // (N, L, 1, D)
    y = tf.add(y, tf.mul(delta, tf.tensor4d(w as number[], [1, 1, s, 1]))); // (N, L, s, D)
  };
  if (l > 1 && wNext !== null && wNext.some((w) => w !== 0)) {
    toward(tf.concat([tf.slice(x, [0, 1, 0], [n, l - 1, d]), tf.slice(x, [0, l - 1, 0], [n, 1, d])], 1), wNext);
  }
  if (l > 1 && wPrev !== null && wPrev.some((w) => w !== 0)) {
    toward(tf.concat([tf.slice(x, [0, 0, 0], [n, 1, d]), tf.slice(x, [0, 0, 0], [n, l - 1, d])], 1), wPrev);
  }
  return tf.reshape(y, [n, l * s, d]); // (N, L·s, D)
}

/**
 * The interpolation weights of output phase `r` (step `q·s + r`), from where it samples the
 * input: `q + r/s` (tfjs / TensorFlow 1) or `q + (r + 0.5)/s − 0.5` (half-pixel centres).
 */
function bilinearWeights(s: number, halfPixelCenters: boolean): { wNext: number[]; wPrev: number[] } {
  const offsets = Array.from({ length: s }, (_, r) => (halfPixelCenters ? (r + 0.5) / s - 0.5 : r / s));
  return { wNext: offsets.map((o) => Math.max(o, 0)), wPrev: offsets.map((o) => Math.max(-o, 0)) };
}

/**
 * Upsamples NHWC images by integer factors, by pixel repetition or bilinear interpolation
 * (see {@link Interpolation}), with gradients that are right on every backend.
 *
 * @param x - `[batch, h, w, channels]`.
 * @param options - factors and interpolation.
 * @returns `[batch, h·size[0], w·size[1], channels]`.
 * @example
 * ```ts
 * const y = upSampling2d(tf.ones([1, 4, 4, 3]), { size: 2, interpolation: 'bilinear' }); // [1, 8, 8, 3]
 * ```
 *
 * @group Padding and resampling
 */
export function upSampling2d(x: tf.Tensor, options: UpSampling2DOptions = {}): tf.Tensor {
  const { size, interpolation, halfPixelCenters } = resolve('upSampling2d', options);
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape as [number, number, number, number];
    const [sh, sw] = size;
    const weights = (s: number) => (interpolation === 'nearest' ? { wNext: null, wPrev: null } : bilinearWeights(s, halfPixelCenters));
    const rows = weights(sh);
    const cols = weights(sw);
    const tall = upsampleAxis(tf.reshape(x, [b, h, w * c]) /* (B, H, W·C) */, sh, rows.wNext, rows.wPrev); // (B, H·s_h, W·C)
    const wide = upsampleAxis(tf.reshape(tall, [b * h * sh, w, c]) /* (B·H·s_h, W, C) */, sw, cols.wNext, cols.wPrev); // (B·H·s_h, W·s_w, C)
    return tf.reshape(wide, [b, h * sh, w * sw, c]); // (B, H·s_h, W·s_w, C)
  });
}

/**
 * Upsamples images by integer factors along height and width: pixel repetition or bilinear
 * interpolation, no parameters (the fixed counterpart of {@link Conv2DTranspose}).
 *
 * Input shape: `[batch, height, width, channels]`.
 *
 * Output shape: `[batch, height · size[0], width · size[1], channels]`.
 *
 * @example
 * ```ts
 * const up = new UpSampling2D({ size: 2 });
 * const y = up.apply(tf.zeros([4, 7, 7, 16])); // [4, 14, 14, 16]
 * ```
 *
 * @group Padding and resampling
 */
export class UpSampling2D extends ShapeCheckedLayer {
  /** The configuration with defaults applied. */
  readonly config: {
    /** `[rows, cols]` factors. */
    size: [number, number];
    /** How new pixels are filled. */
    interpolation: Interpolation;
    /** Whether bilinear sampling uses half-pixel centres. */
    halfPixelCenters: boolean;
  };

  constructor(config: UpSampling2DConfig = {}) {
    super(config);
    this.config = resolve(`UpSampling2D '${this.name}'`, config);
  }

  protected shapeFor(inputShape: Shape): Shape {
    return upSampling2dOutputShape(inputShape, this.config, this.label);
  }

  protected forward(x: tf.Tensor): tf.Tensor {
    return upSampling2d(x, this.config);
  }
}

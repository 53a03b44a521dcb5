import { tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import type { FillMode, Transform } from '../types.js';
import type { FillOptions } from './config.js';
import { applyToSample, resolveRng } from './sample.js';

/**
 * A projective map from output pixel coordinates to input ones, in tfjs's layout
 * `[a0, a1, a2, b0, b1, b2, c0, c1]`: an output pixel (x, y) samples the input at
 * `((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)` with `k = c0 x + c1 y + 1`.
 * Coordinates are pixel indices (column x, row y): pixel centres sit on integers.
 */
export type Projective = [number, number, number, number, number, number, number, number];

/** Options of {@link warp}. */
export interface WarpOptions {
  interpolation: 'bilinear' | 'nearest';
  fillMode: FillMode;
  fillValue: number;
  /** `[height, width]` of the output; default the input's. */
  outputShape?: [number, number];
}

/**
 * Warps every image of an NHWC batch by its own projective map (`maps[i]`) with
 * `tf.image.transform`.
 */
export function warp(images: tf.Tensor4D, maps: readonly Projective[], options: WarpOptions): tf.Tensor4D {
  const { interpolation, fillMode, fillValue, outputShape } = options;
  const one = (image: tf.Tensor4D, map: Projective): tf.Tensor4D =>
    tf.image.transform(image, tf.tensor2d(map, [1, 8]), interpolation, fillMode, fillValue, outputShape);
  const n = images.shape[0];
  if (n === 1) return one(images, maps[0] as Projective);
  // One image per call: the cpu Transform kernel of tfjs-backend-cpu 4.22 returns from inside
  // its batch loop, so for a batch it warps only the first image and leaves the others at the
  // fill value. (The test "warps every image of a batch" pins this.)
  const parts: tf.Tensor4D[] = [];
  for (let i = 0; i < n; i++) parts.push(one(tf.slice(images, [i, 0, 0, 0], [1, -1, -1, -1]), maps[i] as Projective));
  return tf.concat(parts, 0);
}

/** The parameters of {@link centredAffine}; each defaults to the identity. */
export interface Affine {
  /** Rotation in radians, counter-clockwise as displayed. */
  angle?: number;
  /** Scale factors `[sy, sx]`. */
  scale?: readonly [number, number];
  /** Shift in pixels `[ty, tx]` (down, right). */
  translate?: readonly [number, number];
}

/**
 * The map of an affine transform about the image centre. Given the forward map from input to
 * output (rotation by `angle` radians counter-clockwise as displayed, scaling by `scale`
 * [sy, sx], then translation by [ty, tx] pixels), returns the inverse that tfjs needs.
 */
export function centredAffine(height: number, width: number, { angle = 0, scale = [1, 1], translate = [0, 0] }: Affine): Projective {
  const cy = (height - 1) / 2;
  const cx = (width - 1) / 2;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const [sy, sx] = scale;
  const [ty, tx] = translate;
  // Forward, with y pointing down: a counter-clockwise turn on screen is
  //   x' = cx + sx·( cos·(x - cx) + sin·(y - cy)) + tx
  //   y' = cy + sy·(-sin·(x - cx) + cos·(y - cy)) + ty
  // Inverse: u = (x' - cx - tx)/sx, v = (y' - cy - ty)/sy, then x = cx + cos·u - sin·v,
  // y = cy + sin·u + cos·v.
  const a0 = cos / sx;
  const a1 = -sin / sy;
  const b0 = sin / sx;
  const b1 = cos / sy;
  const u0 = -cx - tx;
  const v0 = -cy - ty;
  return [a0, a1, cx + a0 * u0 + a1 * v0, b0, b1, cy + b0 * u0 + b1 * v0, 0, 0];
}

/**
 * Warps images (bilinear) and masks (nearest-neighbour) by the same maps, so they stay
 * aligned. `fillValue` fills the images, `maskFillValue` the masks, under `'constant'`.
 */
export function warpSample(
  images: tf.Tensor4D,
  masks: tf.Tensor4D | null,
  maps: readonly Projective[],
  options: { fillMode: FillMode; fillValue: number; maskFillValue: number; outputShape?: [number, number] },
): { images: tf.Tensor4D; masks?: tf.Tensor4D } {
  const { fillMode, fillValue, maskFillValue, outputShape } = options;
  const base = outputShape === undefined ? {} : { outputShape };
  const out = warp(images, maps, { interpolation: 'bilinear', fillMode, fillValue, ...base });
  if (masks === null) return { images: out };
  return { images: out, masks: warp(masks, maps, { interpolation: 'nearest', fillMode, fillValue: maskFillValue, ...base }) };
}

/**
 * A transform that warps each image, and its mask with it, by a centred affine map whose
 * parameters `draw` picks from the transform's generator: one draw per image, in batch order.
 */
export function randomAffine(unit: string, fill: FillOptions, draw: (r: Rng) => Affine): Transform {
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, ({ images, masks, n, height, width }) => {
      const maps: Projective[] = [];
      for (let i = 0; i < n; i++) maps.push(centredAffine(height, width, draw(r)));
      return warpSample(images, masks, maps, fill);
    });
  };
}

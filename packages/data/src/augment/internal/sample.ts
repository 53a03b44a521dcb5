import { ConfigError, DTypeError, Rng, ShapeError, assertRank, describeValue, formatShape, scope, tf } from '@tensorloom/core';
import type { RngSource, Sample } from '../types.js';

/** The generator inside a `Transform`'s second argument. */
export function resolveRng(unit: string, source: RngSource | undefined): Rng {
  if (source instanceof Rng) return source;
  if (source !== null && typeof source === 'object' && (source as { rng?: unknown }).rng instanceof Rng) {
    return (source as { rng: Rng }).rng;
  }
  throw new ConfigError(`${unit}: rng expected an Rng or { rng: Rng }, got ${describeValue(source)}`, {
    help: 'call the transform as t(sample, rng(seed)), or pass it to Dataset.map, which supplies { index, epoch, rng }',
  });
}

/** The working form of a sample: a float32 NHWC batch and, when present, a float32 NHW1 mask. */
export interface Unpacked {
  /** `[n, h, w, c]`, float32. */
  images: tf.Tensor4D;
  /** `[n, h, w, 1]`, float32 class ids, or `null`. */
  masks: tf.Tensor4D | null;
  n: number;
  height: number;
  width: number;
  channels: number;
  /** The caller's image shape (rank 3 or 4), for error messages. */
  shape: readonly number[];
}

/** What an image operation returns; `masks` left out means "mask unchanged". */
export interface Packed {
  images: tf.Tensor4D;
  masks?: tf.Tensor4D;
}

interface Parts {
  image: tf.Tensor;
  mask: tf.Tensor | null;
  isObject: boolean;
}

function parts(unit: string, sample: Sample): Parts {
  if (sample instanceof tf.Tensor) return { image: sample, mask: null, isObject: false };
  if (sample === null || typeof sample !== 'object' || !((sample as { image?: unknown }).image instanceof tf.Tensor)) {
    throw new ShapeError(
      `${unit}: sample expected an image tensor or an object with an image tensor field, got ${describeValue(sample)}`,
    );
  }
  const mask = (sample as { mask?: unknown }).mask;
  if (mask !== undefined && !(mask instanceof tf.Tensor)) {
    throw new ShapeError(`${unit}: mask expected a tensor, got ${describeValue(mask)}`);
  }
  return { image: sample.image, mask: mask ?? null, isObject: true };
}

/** Checks image rank and dtype and the mask's shape against the image; returns the pieces. */
export function inspect(unit: string, sample: Sample, ranks: readonly number[] = [3, 4]): Parts {
  const p = parts(unit, sample);
  const layout = ranks.length === 1 ? (ranks[0] === 4 ? '[batch, h, w, c]' : '[h, w, c]') : '([h, w, c] or [batch, h, w, c])';
  assertRank(unit, 'image', p.image, ranks, layout);
  if (p.image.dtype !== 'float32') {
    throw new DTypeError(`${unit}: image dtype expected float32, got ${p.image.dtype}`, {
      help: "cast it first: tf.cast(image, 'float32') (and scale to [0, 1] with tf.div(image, 255) for 8-bit pixels)",
    });
  }
  if (p.mask !== null) checkMask(unit, p.image.shape, p.mask);
  return p;
}

function checkMask(unit: string, imageShape: readonly number[], mask: tf.Tensor): void {
  const spatial = imageShape.slice(0, -1); // [h, w] or [n, h, w]
  const ok =
    (mask.rank === spatial.length && spatial.every((d, i) => mask.shape[i] === d)) ||
    (mask.rank === spatial.length + 1 && spatial.every((d, i) => mask.shape[i] === d) && mask.shape[spatial.length] === 1);
  if (!ok) {
    throw new ShapeError(
      `${unit}: mask expected shape ${formatShape(spatial)} or ${formatShape([...spatial, 1])} to match image ${formatShape(imageShape)}, got ${formatShape(mask.shape)}`,
    );
  }
  if (mask.dtype !== 'int32' && mask.dtype !== 'float32') {
    throw new DTypeError(`${unit}: mask dtype expected int32 or float32, got ${mask.dtype}`);
  }
}

/**
 * Runs an image operation on a sample: checks it, brings image and mask to NHWC float32
 * (inside a scope, so nothing leaks), calls `op`, and restores the caller's ranks, the mask's
 * shape and dtype, and the other fields of an object sample.
 */
export function applyToSample<S extends Sample>(
  unit: string,
  sample: S,
  op: (u: Unpacked) => Packed,
  ranks: readonly number[] = [3, 4],
): S {
  const p = inspect(unit, sample, ranks);
  const batched = p.image.rank === 4;
  const outs = scope(() => {
    const images = (batched ? p.image : tf.expandDims(p.image, 0)) as tf.Tensor4D;
    let masks: tf.Tensor4D | null = null;
    if (p.mask !== null) {
      const m = p.mask.dtype === 'float32' ? p.mask : tf.cast(p.mask, 'float32');
      masks = tf.reshape(m, [images.shape[0], images.shape[1], images.shape[2], 1]);
    }
    const [n, height, width, channels] = images.shape;
    const result = op({ images, masks, n, height, width, channels, shape: p.image.shape });
    const image = batched ? result.images : tf.squeeze(result.images, [0]);
    if (p.mask === null) return [image];
    if (result.masks === undefined) return [image, p.mask];
    const [, h, w] = result.masks.shape;
    const shape = p.mask.rank === (batched ? 3 : 2) ? [h, w] : [h, w, 1];
    const m = tf.reshape(result.masks, batched ? [result.masks.shape[0], ...shape] : shape);
    return [image, p.mask.dtype === 'float32' ? m : tf.cast(m, p.mask.dtype)];
  });
  if (!p.isObject) return outs[0] as S;
  const out: Record<string, unknown> = { ...(sample as object), image: outs[0] };
  if (outs.length > 1) out['mask'] = outs[1];
  return out as S;
}

/**
 * Per-example parameters shaped to broadcast over NHWC: `[n, 1, 1, 1]`, or a rank-0 scalar
 * for a single example. (tfjs-backend-cpu runs a binary op with a rank-0 or trailing-axis
 * operand on a fast path, but any other broadcast element by element through index
 * arithmetic, about 5× slower; one image per call is the common case in a pipeline.)
 */
export function perExample(values: Float32Array | number[]): tf.Tensor {
  if (values.length === 1) return tf.scalar(values[0] as number);
  return tf.tensor4d(values instanceof Float32Array ? values : Float32Array.from(values), [values.length, 1, 1, 1]);
}

/** Clips to `[lo, hi]` unless `range` is `null`. */
export function clipTo<T extends tf.Tensor>(x: T, range: readonly [number, number] | null): T {
  return range === null ? x : tf.clipByValue(x, range[0], range[1]);
}

import { ConfigError, ShapeError, describeValue, formatShape, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';

/** A rectangle of whole pixels: rows `[top, top + height)`, columns `[left, left + width)`. */
export interface Rect {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** What erased pixels become: a constant, one value per channel, or standard normal noise. */
export type EraseValue = number | readonly number[] | 'random';

export function checkEraseValue(unit: string, value: unknown): EraseValue {
  const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  if (value === 'random' || finite(value)) return value;
  if (Array.isArray(value) && value.length > 0 && value.every(finite)) return value;
  throw new ConfigError(
    `${unit}: value expected a finite number, a list of per-channel numbers or 'random', got ${describeValue(value)}`,
  );
}

/** 1 inside each image's rectangle, 0 elsewhere (and everywhere for a `null` rectangle): `(n, h, w, 1)`. */
export function rectMask(n: number, height: number, width: number, rects: readonly (Rect | null)[]): tf.Tensor4D {
  const m = new Float32Array(n * height * width);
  rects.forEach((rect, i) => {
    if (rect === null) return;
    for (let y = rect.top; y < rect.top + rect.height; y++) {
      m.fill(1, (i * height + y) * width + rect.left, (i * height + y) * width + rect.left + rect.width);
    }
  });
  return tf.tensor4d(m, [n, height, width, 1]);
}

/** Replaces the pixels inside each rectangle by `value` (or by noise drawn from `r`). */
export function erase(
  unit: string,
  shape: readonly number[],
  images: tf.Tensor4D,
  rects: readonly (Rect | null)[],
  value: EraseValue,
  r: Rng,
): tf.Tensor4D {
  const [n, height, width, channels] = images.shape;
  if (rects.every((rect) => rect === null)) return images;
  let fill: tf.Tensor;
  if (value === 'random') {
    fill = r.normalTensor(images.shape);
  } else if (typeof value === 'number') {
    fill = tf.scalar(value);
  } else {
    if (value.length !== channels && value.length !== 1) {
      throw new ShapeError(
        `${unit}: image axis -1 expected ${value.length} channels to match value [${value.join(', ')}], got shape ${formatShape(shape)}`,
      );
    }
    fill = tf.tensor1d([...value]);
  }
  const inside = tf.cast(rectMask(n, height, width, rects), 'bool');
  return tf.where(inside, tf.broadcastTo(fill, images.shape), images);
}

import { ShapeError, formatShape, tf } from '@tensorloom/core';
import type { Transform } from '../types.js';
import { checkClip, checkInterval } from './config.js';
import { applyToSample, clipTo, perExample, resolveRng } from './sample.js';
import type { Unpacked } from './sample.js';

/** Refuses images that are not 3-channel RGB (for saturation and hue). */
export function requireRgb(unit: string, shape: readonly number[]): void {
  if (shape[shape.length - 1] !== 3) {
    throw new ShapeError(`${unit}: image axis -1 expected 3 channels (RGB), got shape ${formatShape(shape)}`, {
      help: 'saturation and hue exist only for colour images; for grey ones use randomBrightness, randomContrast or randomGamma, or convert with tf.image.grayscaleToRGB',
    });
  }
}

/**
 * Rotates the hue of RGB images by `delta` turns (per image: `(n, 1, 1, 1)` or a scalar), keeping value
 * and saturation: RGB → HSV (hexcone model, Smith 1978), shift H, → RGB.
 */
export function rotateHue(images: tf.Tensor4D, delta: tf.Tensor): tf.Tensor4D {
  const [r, g, b] = tf.split(images, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D]; // (n, h, w, 1) each
  const max = tf.maximum(tf.maximum(r, g), b);
  const min = tf.minimum(tf.minimum(r, g), b);
  const chroma = tf.sub(max, min);
  const safe = tf.where(tf.greater(chroma, 0), chroma, tf.onesLike(chroma));
  // Hue in sixths of a turn, [0, 6): the sector of the largest channel plus the offset in it.
  const fromR = tf.mod(tf.div(tf.sub(g, b), safe), 6);
  const fromG = tf.add(tf.div(tf.sub(b, r), safe), 2);
  const fromB = tf.add(tf.div(tf.sub(r, g), safe), 4);
  const hue = tf.where(tf.equal(max, r), fromR, tf.where(tf.equal(max, g), fromG, fromB));
  const shifted = tf.mod(tf.add(hue, tf.mul(delta, 6)), 6);
  // Back to RGB: channel n is V − C·clamp(min(k, 4 − k), 0, 1), k = (n + H) mod 6, n = 5, 3, 1.
  const channel = (offset: number): tf.Tensor4D => {
    const k = tf.mod(tf.add(shifted, offset), 6);
    const ramp = tf.clipByValue(tf.minimum(k, tf.sub(4, k)), 0, 1);
    return tf.sub(max, tf.mul(chroma, ramp));
  };
  return tf.concat([channel(5), channel(3), channel(1)], 3);
}

/**
 * A transform that blends each image with an anchor by a random factor `k`:
 * `out = (x - a) · k + a`, then clips (the blend torchvision's contrast and saturation
 * adjustments share). `k = 1` leaves the image as it is, `k = 0` gives the anchor.
 *
 * `config.factor` gives the range of `k` (a number `f` means `[max(0, 1 - f), 1 + f]`;
 * factors ≥ 0), `config.clip` the clipping range (default `[0, 1]`); both are checked here,
 * when the transform is made. At call time `anchor` builds `a` from the unpacked images (it
 * may refuse them), then each image draws its own `k`.
 */
export function randomBlend(
  unit: string,
  config: { factor: number | readonly [number, number]; clip?: readonly [number, number] | null },
  anchor: (u: Unpacked) => tf.Tensor,
): Transform {
  const [lo, hi] = checkInterval(unit, 'factor', config.factor, {
    around: (f) => [Math.max(0, 1 - f), 1 + f],
    single: 'a number >= 0',
    lowest: 0,
  });
  const clip = checkClip(unit, config.clip === undefined ? [0, 1] : config.clip);
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, (u) => {
      const a = anchor(u);
      const k = perExample(Array.from({ length: u.n }, () => r.range(lo, hi)));
      return { images: clipTo(tf.add(tf.mul(tf.sub(u.images, a), k), a), clip) };
    });
  };
}

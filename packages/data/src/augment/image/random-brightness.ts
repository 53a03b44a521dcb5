import { tf } from '@tensorloom/core';
import { checkClip, checkInterval } from '../internal/config.js';
import { applyToSample, clipTo, perExample, resolveRng } from '../internal/sample.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link randomBrightness}.
 *
 * @example
 * ```ts
 * const t = augment.randomBrightness({ delta: 0.2 });
 * const out = t(image, rng(1));
 * ```
 */
export interface RandomBrightnessConfig {
  /**
   * The delta added to every pixel, drawn uniformly: a number `d` means `[-d, d]`;
   * `[min, max]` gives the range.
   */
  delta: number | readonly [number, number];
  /** Clip the result to `[min, max]`; `null` for no clipping. Default `[0, 1]`. */
  clip?: readonly [number, number] | null;
}

/**
 * Randomly brightens or darkens images by adding one delta to every pixel and channel
 * (`out = x + δ`, as `tf.image.random_brightness`), then clips.
 *
 * Works on any number of channels (grey or RGB). A mask passes through unchanged. In a
 * batch each image draws its own delta.
 *
 * Input and output: `[h, w, c]` or `[batch, h, w, c]` float32.
 *
 * @param config - the delta range and the clipping range.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} for a bad `delta` or `clip`.
 * @example
 * ```ts
 * const t = augment.randomBrightness({ delta: 0.2 });
 * const out = t(image, rng(1));
 * ```
 */
export function randomBrightness(config: RandomBrightnessConfig): Transform {
  const unit = 'randomBrightness';
  const [lo, hi] = checkInterval(unit, 'delta', config.delta, { around: (d) => [-d, d], single: 'a number >= 0' });
  const clip = checkClip(unit, config.clip === undefined ? [0, 1] : config.clip);
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, ({ images, n }) => {
      const deltas = Array.from({ length: n }, () => r.range(lo, hi));
      return { images: clipTo(tf.add(images, perExample(deltas)), clip) };
    });
  };
}

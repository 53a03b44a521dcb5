import { tf } from '@tensorloom/core';
import { randomBlend } from '../internal/color.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link randomContrast}.
 *
 * @example
 * ```ts
 * const t = augment.randomContrast({ factor: [0.5, 1.5] });
 * const out = t(image, rng(1));
 * ```
 */
export interface RandomContrastConfig {
  /**
   * The contrast factor `k`, drawn uniformly: a number `f` means `[max(0, 1 - f), 1 + f]`;
   * `[min, max]` gives the range (factors ≥ 0). `k = 1` leaves the image as it is, `k = 0`
   * makes every channel its mean.
   */
  factor: number | readonly [number, number];
  /** Clip the result to `[min, max]`; `null` for no clipping. Default `[0, 1]`. */
  clip?: readonly [number, number] | null;
}

/**
 * Randomly scales each image's contrast: `out = (x - μ) · k + μ`, with `μ` the mean of each
 * channel over the image (as `tf.image.adjust_contrast`), then clips.
 *
 * Works on any number of channels. A mask passes through unchanged. In a batch each image
 * draws its own factor and uses its own means.
 *
 * Input and output: `[h, w, c]` or `[batch, h, w, c]` float32.
 *
 * @param config - the factor range and the clipping range.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} for a bad `factor` or `clip`.
 * @example
 * ```ts
 * const t = augment.randomContrast({ factor: [0.5, 1.5] });
 * const out = t(image, rng(1));
 * ```
 */
export function randomContrast(config: RandomContrastConfig): Transform {
  return randomBlend('randomContrast', config, ({ images, n, height, width, channels }) =>
    // Channel means: (c) for one image, which broadcasts on tfjs-cpu's fast path; else (n, 1, 1, c).
    n === 1 ? tf.mean(tf.reshape(images, [height * width, channels]), 0) : tf.mean(images, [1, 2], true),
  );
}

import { finiteNumber, tf } from '@tensorloom/core';
import { checkClip, checkInterval } from '../internal/config.js';
import { applyToSample, clipTo, perExample, resolveRng } from '../internal/sample.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link gaussianNoise}.
 *
 * @example
 * ```ts
 * const t = augment.gaussianNoise({ std: 0.05 });
 * const noisy = t(image, rng(1));
 * ```
 */
export interface GaussianNoiseConfig {
  /**
   * Standard deviation of the noise: a number for a fixed one, or `[min, max]` to draw one
   * uniformly per image. Must be ≥ 0.
   */
  std: number | readonly [number, number];
  /** Mean of the noise. Default `0`. */
  mean?: number;
  /** Clip the result to `[min, max]`; `null` for no clipping. Default `[0, 1]`. */
  clip?: readonly [number, number] | null;
}

/**
 * Adds independent Gaussian noise to every pixel and channel: `out = x + N(mean, σ²)`,
 * then clips. The noise comes from the given generator, so it is reproducible.
 *
 * Works on any number of channels. A mask passes through unchanged.
 *
 * Input and output: `[h, w, c]` or `[batch, h, w, c]` float32.
 *
 * @param config - the noise level and the clipping range.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} for a negative `std` or a bad `mean` or `clip`.
 * @example
 * ```ts
 * const t = augment.gaussianNoise({ std: 0.05 });
 * const noisy = t(image, rng(1));
 * ```
 */
export function gaussianNoise(config: GaussianNoiseConfig): Transform {
  const unit = 'gaussianNoise';
  const [lo, hi] = checkInterval(unit, 'std', config.std, { around: (s) => [s, s], single: 'a number >= 0', lowest: 0 });
  const mean = finiteNumber(unit, 'mean', config.mean ?? 0);
  const clip = checkClip(unit, config.clip === undefined ? [0, 1] : config.clip);
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, ({ images, n }) => {
      const std = perExample(Array.from({ length: n }, () => (lo === hi ? lo : r.range(lo, hi))));
      const noise = tf.add(tf.mul(r.normalTensor(images.shape), std), mean);
      return { images: clipTo(tf.add(images, noise), clip) };
    });
  };
}

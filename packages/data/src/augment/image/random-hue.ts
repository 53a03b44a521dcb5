import { checkInterval } from '../internal/config.js';
import { rotateHue, requireRgb } from '../internal/color.js';
import { applyToSample, perExample, resolveRng } from '../internal/sample.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link randomHue}.
 *
 * @example
 * ```ts
 * const t = augment.randomHue({ delta: 0.05 }); // up to ±18°
 * const out = t(rgbImage, rng(1));
 * ```
 */
export interface RandomHueConfig {
  /**
   * The hue shift in turns (1 = 360°), drawn uniformly: a number `d` in [0, 0.5] means
   * `[-d, d]`; `[min, max]` gives the range within [-0.5, 0.5].
   */
  delta: number | readonly [number, number];
}

/**
 * Randomly rotates the hue of RGB images: each pixel goes to HSV, its hue moves by δ turns
 * (wrapping around), and it comes back to RGB, with value and saturation unchanged (as
 * `tf.image.random_hue`).
 *
 * The result stays within each pixel's original [min, max] channel range, so no clipping is
 * needed. RGB only: a 1-channel image has no hue, and is refused. A mask passes through
 * unchanged. In a batch each image draws its own shift.
 *
 * Input and output: `[h, w, 3]` or `[batch, h, w, 3]` float32.
 *
 * @param config - the shift range.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} when `delta` is outside [-0.5, 0.5].
 * @throws {@link @tensorloom/core!ShapeError} at call time when the image has no 3 channels.
 * @example
 * ```ts
 * const t = augment.randomHue({ delta: 0.05 }); // up to ±18°
 * const out = t(rgbImage, rng(1));
 * ```
 */
export function randomHue(config: RandomHueConfig): Transform {
  const unit = 'randomHue';
  const [lo, hi] = checkInterval(unit, 'delta', config.delta, {
    around: (d) => [-d, d],
    single: 'a number in [0, 0.5]',
    lowest: -0.5,
    highest: 0.5,
  });
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, ({ images, n, shape }) => {
      requireRgb(unit, shape);
      return { images: rotateHue(images, perExample(Array.from({ length: n }, () => r.range(lo, hi)))) };
    });
  };
}

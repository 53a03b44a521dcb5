import { tf } from '@tensorloom/core';
import { randomBlend, requireRgb } from '../internal/color.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link randomSaturation}.
 *
 * @example
 * ```ts
 * const t = augment.randomSaturation({ factor: 0.4 }); // k in [0.6, 1.4]
 * const out = t(rgbImage, rng(1));
 * ```
 */
export interface RandomSaturationConfig {
  /**
   * The saturation factor `k`, drawn uniformly: a number `f` means `[max(0, 1 - f), 1 + f]`;
   * `[min, max]` gives the range (factors ≥ 0). `k = 0` gives grey, `k = 1` the image itself.
   */
  factor: number | readonly [number, number];
  /** Clip the result to `[min, max]`; `null` for no clipping. Default `[0, 1]`. */
  clip?: readonly [number, number] | null;
}

/**
 * Randomly changes the saturation of RGB images by blending each pixel with its grey value:
 * `out = g + k · (x - g)`, `g = 0.299 R + 0.587 G + 0.114 B` (ITU-R BT.601 luma, as
 * torchvision's `adjust_saturation` and PIL), then clips.
 *
 * RGB only: a 1-channel image has no saturation to change, and is refused. A mask passes
 * through unchanged. In a batch each image draws its own factor.
 *
 * Input and output: `[h, w, 3]` or `[batch, h, w, 3]` float32.
 *
 * @param config - the factor range and the clipping range.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} for a bad `factor` or `clip`.
 * @throws {@link @tensorloom/core!ShapeError} at call time when the image has no 3 channels.
 * @example
 * ```ts
 * const t = augment.randomSaturation({ factor: 0.4 }); // k in [0.6, 1.4]
 * const out = t(rgbImage, rng(1));
 * ```
 */
export function randomSaturation(config: RandomSaturationConfig): Transform {
  const unit = 'randomSaturation';
  return randomBlend(unit, config, ({ images, shape }) => {
    requireRgb(unit, shape);
    return tf.sum(tf.mul(images, tf.tensor1d([0.299, 0.587, 0.114])), -1, true); // grey, (n, h, w, 1)
  });
}

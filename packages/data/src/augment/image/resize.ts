import { tf } from '@tensorloom/core';
import { checkSize } from '../internal/config.js';
import { applyToSample } from '../internal/sample.js';
import type { DeterministicTransform } from '../types.js';

/**
 * Options of {@link resize}.
 *
 * @example
 * ```ts
 * const small = augment.resize({ height: 14, width: 14 })(mnistImage); // [14, 14, 1]
 * ```
 */
export interface ResizeConfig {
  /** Output height in pixels. */
  height: number;
  /** Output width in pixels. */
  width: number;
}

/**
 * Resizes images to `height × width` (bilinear) and a mask with them (nearest neighbour).
 *
 * Both use half-pixel centres (`tf.image.resizeBilinear` / `resizeNearestNeighbor` with
 * `halfPixelCenters: true`, the convention of TensorFlow 2's `tf.image.resize` and of
 * PyTorch with `align_corners=False`), which keeps image and mask aligned. No antialiasing:
 * shrinking by more than 2× skips pixels.
 *
 * Input: `[h, w, c]` or `[batch, h, w, c]` float32. Output: `[height, width, c]` or
 * `[batch, height, width, c]`.
 *
 * @param config - the output size.
 * @returns a {@link DeterministicTransform}; the rng argument is optional and unused.
 * @throws {@link @tensorloom/core!ConfigError} when the size is not a positive integer.
 * @example
 * ```ts
 * const small = augment.resize({ height: 14, width: 14 })(mnistImage); // [14, 14, 1]
 * ```
 */
export function resize(config: ResizeConfig): DeterministicTransform {
  const unit = 'resize';
  const size = checkSize(unit, config.height, config.width);
  return (sample) =>
    applyToSample(unit, sample, ({ images, masks }) => {
      const out = tf.image.resizeBilinear(images, size, false, true);
      if (masks === null) return { images: out };
      return { images: out, masks: tf.image.resizeNearestNeighbor(masks, size, false, true) };
    });
}

import { ShapeError, formatShape, tf } from '@tensorloom/core';
import { checkSize } from '../internal/config.js';
import { applyToSample, resolveRng } from '../internal/sample.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link randomCrop}.
 *
 * @example
 * ```ts
 * const t = augment.compose([augment.pad({ padding: 4, mode: 'reflect' }), augment.randomCrop({ height: 32, width: 32 })]);
 * const out = t(cifarImage, rng(1)); // [32, 32, 3]
 * ```
 */
export interface RandomCropConfig {
  /** Height of the crop in pixels; at most the image's. */
  height: number;
  /** Width of the crop in pixels; at most the image's. */
  width: number;
}

/**
 * Cuts a `height × width` window at a uniformly random position out of each image (and the
 * same window out of its mask).
 *
 * Pixels are copied, not resampled, so values stay exact. To crop with padding, as for
 * CIFAR (`pad 4, crop 32`), compose {@link pad} and `randomCrop`. In a batch each image
 * draws its own position.
 *
 * Input: `[h, w, c]` or `[batch, h, w, c]` float32 with `h ≥ height`, `w ≥ width`.
 * Output: `[height, width, c]` or `[batch, height, width, c]`.
 *
 * @param config - the crop size.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} when the size is not a positive integer.
 * @throws {@link @tensorloom/core!ShapeError} at call time when the image is smaller than the crop.
 * @example
 * ```ts
 * const t = augment.compose([augment.pad({ padding: 4, mode: 'reflect' }), augment.randomCrop({ height: 32, width: 32 })]);
 * const out = t(cifarImage, rng(1)); // [32, 32, 3]
 * ```
 */
export function randomCrop(config: RandomCropConfig): Transform {
  const unit = 'randomCrop';
  const [ch, cw] = checkSize(unit, config.height, config.width);
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, ({ images, masks, n, height, width, shape }) => {
      if (height < ch || width < cw) {
        throw new ShapeError(
          `${unit}: image expected height >= ${ch} and width >= ${cw}, got shape ${formatShape(shape)}`,
          { help: 'pad the image first (augment.pad) or choose a smaller crop' },
        );
      }
      const tops: number[] = [];
      const lefts: number[] = [];
      for (let i = 0; i < n; i++) {
        tops.push(r.int(height - ch + 1));
        lefts.push(r.int(width - cw + 1));
      }
      const cut = (x: tf.Tensor4D): tf.Tensor4D => {
        const parts = tops.map((top, i) => tf.slice(x, [i, top, lefts[i] as number, 0], [1, ch, cw, -1]));
        return parts.length === 1 ? (parts[0] as tf.Tensor4D) : tf.concat(parts, 0);
      };
      return masks === null ? { images: cut(images) } : { images: cut(images), masks: cut(masks) };
    });
  };
}

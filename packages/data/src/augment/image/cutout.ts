import { checkEraseValue, erase } from '../internal/erase.js';
import type { Rect } from '../internal/erase.js';
import { checkYX } from '../internal/config.js';
import { applyToSample, resolveRng } from '../internal/sample.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link cutout}.
 *
 * @example
 * ```ts
 * const t = augment.cutout({ size: 8 });
 * const out = t(image, rng(1));
 * ```
 */
export interface CutoutConfig {
  /** Side of the square hole in pixels, or `[height, width]`. Positive integers. */
  size: number | readonly [number, number];
  /**
   * What the hole is filled with: a number, one number per channel, or `'random'` for
   * standard normal noise. Default `0`.
   */
  value?: number | readonly number[] | 'random';
}

/**
 * Cutout (DeVries & Taylor 2017, https://arxiv.org/abs/1708.04552): blanks a fixed-size
 * rectangle centred on a uniformly random pixel of each image.
 *
 * As in the paper, the centre may lie near the border, so part of the hole can fall outside
 * the image (it is clipped), which lets the network see some images whole. It is applied to
 * every image; wrap it in {@link randomApply} for a probability. A mask passes through
 * unchanged. In a batch each image draws its own centre.
 *
 * Input and output: `[h, w, c]` or `[batch, h, w, c]` float32.
 *
 * @param config - the hole size and fill.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} for a bad `size` or `value`.
 * @example
 * ```ts
 * const t = augment.cutout({ size: 8 });
 * const out = t(image, rng(1));
 * ```
 */
export function cutout(config: CutoutConfig): Transform {
  const unit = 'cutout';
  const [sh, sw] = checkYX(unit, 'size', config.size, 1, true);
  const value = checkEraseValue(unit, config.value ?? 0);
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, ({ images, n, height, width, shape }) => {
      const rects: Rect[] = [];
      for (let i = 0; i < n; i++) {
        const cy = r.int(height);
        const cx = r.int(width);
        const top = Math.max(0, cy - Math.floor(sh / 2));
        const left = Math.max(0, cx - Math.floor(sw / 2));
        const bottom = Math.min(height, cy - Math.floor(sh / 2) + sh);
        const right = Math.min(width, cx - Math.floor(sw / 2) + sw);
        rects.push({ top, left, height: bottom - top, width: right - left });
      }
      return { images: erase(unit, shape, images, rects, value, r) };
    });
  };
}

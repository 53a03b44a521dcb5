import { inRange } from '@tensorloom/core';
import { checkEraseValue, erase } from '../internal/erase.js';
import type { Rect } from '../internal/erase.js';
import { checkInterval } from '../internal/config.js';
import { applyToSample, resolveRng } from '../internal/sample.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link randomErasing}.
 *
 * @example
 * ```ts
 * const t = augment.randomErasing({ p: 0.5, value: 'random' });
 * const out = t(image, rng(1));
 * ```
 */
export interface RandomErasingConfig {
  /** Probability that an image gets a rectangle erased. Default `0.5`. */
  p?: number;
  /** Range of the rectangle's area as a fraction of the image's. Default `[0.02, 0.33]`. */
  scale?: readonly [number, number];
  /** Range of the rectangle's aspect ratio (height / width), drawn log-uniformly. Default `[0.3, 3.3]`. */
  ratio?: readonly [number, number];
  /**
   * What the erased pixels become: a number, one number per channel, or `'random'` for
   * standard normal noise per pixel and channel. Default `0`.
   */
  value?: number | readonly number[] | 'random';
}

/**
 * Random erasing (Zhong et al. 2020, https://arxiv.org/abs/1708.04896): with probability `p`,
 * replaces a rectangle of random area and aspect ratio by a value or noise.
 *
 * The rectangle is drawn as in torchvision's `RandomErasing`: up to 10 tries of an area in
 * `scale` and a log-uniform ratio in `ratio` that fit strictly inside the image, at a
 * uniform position; when none fits, the image is left as it is. A mask passes through
 * unchanged (the object is still there, only hidden). In a batch each image draws its own
 * rectangle.
 *
 * Input and output: `[h, w, c]` or `[batch, h, w, c]` float32.
 *
 * @param config - probability, area and ratio ranges, and the fill value.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} for a bad `p`, `scale`, `ratio` or `value`.
 * @throws {@link @tensorloom/core!ShapeError} at call time when a per-channel `value` does not match the channels.
 * @example
 * ```ts
 * const t = augment.randomErasing({ p: 0.5, value: 'random' });
 * const out = t(image, rng(1));
 * ```
 */
export function randomErasing(config: RandomErasingConfig = {}): Transform {
  const unit = 'randomErasing';
  const p = inRange(unit, 'p', config.p ?? 0.5, { min: 0, max: 1 });
  const [smin, smax] = checkInterval(unit, 'scale', config.scale ?? [0.02, 0.33], { lowest: 0, highest: 1 });
  const [rmin, rmax] = checkInterval(unit, 'ratio', config.ratio ?? [0.3, 3.3], { lowest: 0, open: true });
  const value = checkEraseValue(unit, config.value ?? 0);
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, ({ images, n, height, width, shape }) => {
      const rects: (Rect | null)[] = [];
      for (let i = 0; i < n; i++) rects.push(r.uniform() < p ? pick() : null);
      return { images: erase(unit, shape, images, rects, value, r) };

      /** torchvision's RandomErasing.get_params. */
      function pick(): Rect | null {
        const area = height * width;
        for (let attempt = 0; attempt < 10; attempt++) {
          const target = area * r.range(smin, smax);
          const aspect = Math.exp(r.range(Math.log(rmin), Math.log(rmax)));
          const h = Math.round(Math.sqrt(target * aspect));
          const w = Math.round(Math.sqrt(target / aspect));
          if (h < 1 || w < 1 || h >= height || w >= width) continue;
          return { top: r.int(height - h + 1), left: r.int(width - w + 1), height: h, width: w };
        }
        return null;
      }
    });
  };
}

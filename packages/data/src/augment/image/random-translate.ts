import type { Rng } from '@tensorloom/core';
import { checkFill, checkYX } from '../internal/config.js';
import { randomAffine } from '../internal/warp.js';
import type { FillMode, Transform } from '../types.js';

/**
 * Options of {@link randomTranslate}.
 *
 * @example
 * ```ts
 * const shift = augment.randomTranslate({ max: 2 });
 * const batches = Dataset.from(train).map(shift).batch(64);
 * ```
 */
export interface RandomTranslateConfig {
  /**
   * Largest shift in pixels: one number for both axes, or `[maxY, maxX]`. Shifts are drawn
   * uniformly from `[-max, max]` per axis.
   */
  max: number | readonly [number, number];
  /**
   * Draw whole-pixel shifts (integers in `[-floor(max), floor(max)]`), which move pixels
   * without blurring them. `false` draws real-valued shifts, sampled bilinearly. Default `true`.
   */
  integer?: boolean;
  /** How uncovered pixels are filled. Default `'constant'`. */
  fillMode?: FillMode;
  /** Image value for `fillMode: 'constant'`. Default `0`. */
  fillValue?: number;
  /** Mask value for `fillMode: 'constant'`. Default `0`. */
  maskFillValue?: number;
}

/**
 * Randomly shifts images (and a mask with its image) by up to `max` pixels per axis.
 *
 * Positive shifts move the content down and right. In a batch each image draws its own shift.
 *
 * Input: `[h, w, c]` or `[batch, h, w, c]` float32 (bare, or as `image` of an object with an
 * optional `mask`). Output: the same shapes.
 *
 * @param config - the largest shift and the fill.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} when `max` is negative or not finite, or a fill option is bad.
 * @example
 * ```ts
 * const shift = augment.randomTranslate({ max: 2 });
 * const batches = Dataset.from(train).map(shift).batch(64);
 * ```
 */
export function randomTranslate(config: RandomTranslateConfig): Transform {
  const unit = 'randomTranslate';
  const [maxY, maxX] = checkYX(unit, 'max', config.max);
  const integer = config.integer ?? true;
  const shift = (r: Rng, m: number): number => {
    if (!integer) return r.range(-m, m);
    const k = Math.floor(m);
    return r.int(2 * k + 1) - k;
  };
  return randomAffine(unit, checkFill(unit, config), (r) => {
    const ty = shift(r, maxY);
    const tx = shift(r, maxX);
    return { translate: [ty, tx] };
  });
}

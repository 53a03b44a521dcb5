import { ConfigError } from '@tensorloom/core';
import { checkFill, checkInterval } from '../internal/config.js';
import { randomAffine } from '../internal/warp.js';
import type { FillMode, Transform } from '../types.js';

/**
 * Options of {@link randomZoom}.
 *
 * @example
 * ```ts
 * const zoom = augment.randomZoom({ scale: [0.9, 1.1] });
 * const out = zoom(image, rng(5));
 * ```
 */
export interface RandomZoomConfig {
  /**
   * Scale factor of the content, drawn uniformly: `s > 1` zooms in (content grows, edges are
   * cut), `s < 1` zooms out (content shrinks, the border is filled). A number `f` means
   * `[1 - f, 1 + f]`; `[min, max]` gives the range. Factors must be > 0.
   */
  scale: number | readonly [number, number];
  /**
   * Draw the height and width factors independently (changes the aspect ratio). Default
   * `false`: one factor for both axes.
   */
  independent?: boolean;
  /** How uncovered pixels are filled when zooming out. Default `'constant'`. */
  fillMode?: FillMode;
  /** Image value for `fillMode: 'constant'`. Default `0`. */
  fillValue?: number;
  /** Mask value for `fillMode: 'constant'`. Default `0`. */
  maskFillValue?: number;
}

/**
 * Randomly zooms images in or out about their centre; a mask is zoomed with its image
 * (bilinear for the image, nearest-neighbour for the mask, one `tf.image.transform` map).
 *
 * In a batch each image draws its own factor.
 *
 * Input: `[h, w, c]` or `[batch, h, w, c]` float32 (bare, or as `image` of an object with an
 * optional `mask`). Output: the same shapes.
 *
 * @param config - the factor range and the fill.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} when a factor could be ≤ 0 or a fill option is bad.
 * @example
 * ```ts
 * const zoom = augment.randomZoom({ scale: [0.9, 1.1] });
 * const out = zoom(image, rng(5));
 * ```
 */
export function randomZoom(config: RandomZoomConfig): Transform {
  const unit = 'randomZoom';
  const [lo, hi] = checkInterval(unit, 'scale', config.scale, {
    around: (f) => [1 - f, 1 + f],
    single: 'a number in [0, 1)',
    lowest: 0,
  });
  if (lo <= 0) {
    throw new ConfigError(`${unit}: scale expected factors > 0, got a range starting at ${lo}`);
  }
  const independent = config.independent ?? false;
  return randomAffine(unit, checkFill(unit, config), (r) => {
    const sy = r.range(lo, hi);
    const sx = independent ? r.range(lo, hi) : sy;
    return { scale: [sy, sx] };
  });
}

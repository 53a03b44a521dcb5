import { checkFill, checkInterval } from '../internal/config.js';
import { randomAffine } from '../internal/warp.js';
import type { FillMode, Transform } from '../types.js';

/**
 * Options of {@link randomRotation}.
 *
 * @example
 * ```ts
 * const rotate = augment.randomRotation({ degrees: 15, fillMode: 'nearest' });
 * const { image, mask } = rotate({ image: photo, mask: labels }, rng(3));
 * ```
 */
export interface RandomRotationConfig {
  /**
   * Rotation angle in degrees, drawn uniformly: a number `d` means `[-d, d]`; `[min, max]`
   * gives the range. Positive angles turn the image counter-clockwise as displayed (rows
   * running down), as `np.rot90` and Keras' `RandomRotation` do.
   */
  degrees: number | readonly [number, number];
  /** How pixels whose source lies outside the image are filled. Default `'constant'`. */
  fillMode?: FillMode;
  /** Image value for `fillMode: 'constant'`. Default `0`. */
  fillValue?: number;
  /** Mask value (a class id, e.g. background or an ignore index) for `'constant'`. Default `0`. */
  maskFillValue?: number;
}

/**
 * Randomly rotates images about their centre; a mask is rotated with its image.
 *
 * The image is sampled bilinearly and the mask by nearest neighbour from the same map, via
 * `tf.image.transform`, so they stay aligned and the mask keeps integral class ids. The
 * centre is the middle of the pixel grid, `((w - 1) / 2, (h - 1) / 2)`, so 90° equals
 * `np.rot90` on square images. In a batch each image draws its own angle.
 *
 * Input: `[h, w, c]` or `[batch, h, w, c]` float32 (bare, or as `image` of an object with an
 * optional `mask`). Output: the same shapes.
 *
 * @param config - the angle range and the fill.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} for a bad angle range or fill option.
 * @example
 * ```ts
 * const rotate = augment.randomRotation({ degrees: 15, fillMode: 'nearest' });
 * const { image, mask } = rotate({ image: photo, mask: labels }, rng(3));
 * ```
 */
export function randomRotation(config: RandomRotationConfig): Transform {
  const unit = 'randomRotation';
  const [lo, hi] = checkInterval(unit, 'degrees', config.degrees, {
    around: (d) => [-d, d],
    single: 'a number >= 0',
  });
  return randomAffine(unit, checkFill(unit, config), (r) => ({ angle: (r.range(lo, hi) * Math.PI) / 180 }));
}

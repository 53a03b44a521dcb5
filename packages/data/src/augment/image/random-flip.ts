import { ConfigError, inRange, tf } from '@tensorloom/core';
import { applyToSample, resolveRng } from '../internal/sample.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link randomFlip}.
 *
 * @example
 * ```ts
 * import { augment } from '@tensorloom/data';
 * import { rng, tf } from '@tensorloom/core';
 * const flip = augment.randomFlip({ horizontal: true, p: 1 });
 * const image = tf.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1]);
 * flip(image, rng(1)); // [[3, 2, 1], [6, 5, 4]]
 * ```
 */
export interface RandomFlipConfig {
  /** Flip left–right (mirror the width axis). Default `false`. */
  horizontal?: boolean;
  /** Flip upside down (mirror the height axis). Default `false`. */
  vertical?: boolean;
  /** Probability of each enabled flip, drawn independently per image and axis. Default `0.5`. */
  p?: number;
}

/**
 * Randomly mirrors images left–right and/or upside down; a mask is mirrored with its image.
 *
 * Flips move whole pixels, so images and masks keep their exact values. In a batch each
 * image draws its own flips.
 *
 * Input: `[h, w, c]` or `[batch, h, w, c]` float32 (bare, or as `image` of an object with an
 * optional `mask`). Output: the same shapes.
 *
 * @param config - which axes to flip and how often; at least one axis must be enabled.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} when no axis is enabled or `p` is not in [0, 1].
 * @example
 * ```ts
 * import { augment } from '@tensorloom/data';
 * import { rng, tf } from '@tensorloom/core';
 * const flip = augment.randomFlip({ horizontal: true, p: 1 });
 * const image = tf.tensor3d([1, 2, 3, 4, 5, 6], [2, 3, 1]);
 * flip(image, rng(1)); // [[3, 2, 1], [6, 5, 4]]
 * ```
 */
export function randomFlip(config: RandomFlipConfig): Transform {
  const unit = 'randomFlip';
  const horizontal = config.horizontal ?? false;
  const vertical = config.vertical ?? false;
  const p = inRange(unit, 'p', config.p ?? 0.5, { min: 0, max: 1 });
  if (!horizontal && !vertical) {
    throw new ConfigError(`${unit}: horizontal or vertical expected true, got neither`, {
      help: 'pass { horizontal: true } for left–right flips, { vertical: true } for upside-down ones',
    });
  }
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, ({ images, masks, n }) => {
      const flipW = new Array<boolean>(n);
      const flipH = new Array<boolean>(n);
      for (let i = 0; i < n; i++) {
        flipW[i] = horizontal && r.uniform() < p;
        flipH[i] = vertical && r.uniform() < p;
      }
      // Mirror the whole batch once per axis, then pick per image: tf.where copies values,
      // so the result is exact. Both mirrors use tf.image.flipLeftRight, a plain copy loop
      // (tf.reverse goes element by element through index arithmetic on tfjs-cpu, ~50× slower):
      // seen as [n, 1, h, w·c], an image's rows are the "columns" flipLeftRight reverses.
      const mirror = (x: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D => {
        if (axis === 2) return tf.image.flipLeftRight(x);
        const [b, h, w, c] = x.shape;
        return tf.reshape(tf.image.flipLeftRight(tf.reshape(x, [b, 1, h, w * c])), [b, h, w, c]);
      };
      const along = (x: tf.Tensor4D, axis: 1 | 2, chosen: boolean[]): tf.Tensor4D => {
        if (chosen.every((c) => !c)) return x;
        if (chosen.every((c) => c)) return mirror(x, axis);
        const pick = tf.tensor4d(chosen, [n, 1, 1, 1], 'bool');
        return tf.where(pick, mirror(x, axis), x);
      };
      const flipAll = (x: tf.Tensor4D): tf.Tensor4D => along(along(x, 2, flipW), 1, flipH);
      return masks === null ? { images: flipAll(images) } : { images: flipAll(images), masks: flipAll(masks) };
    });
  };
}

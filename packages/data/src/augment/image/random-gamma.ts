import { finiteNumber, tf } from '@tensorloom/core';
import { checkClip, checkInterval } from '../internal/config.js';
import { applyToSample, clipTo, perExample, resolveRng } from '../internal/sample.js';
import type { Transform } from '../types.js';

/**
 * Options of {@link randomGamma}.
 *
 * @example
 * ```ts
 * const t = augment.randomGamma({ gamma: [0.8, 1.25] });
 * const out = t(image, rng(1));
 * ```
 */
export interface RandomGammaConfig {
  /** The exponent γ, drawn uniformly from `[min, max]` (γ > 0; γ < 1 brightens, γ > 1 darkens). */
  gamma: readonly [number, number];
  /** Multiplier applied after the power. Default `1`. */
  gain?: number;
  /** Clip the result to `[min, max]`; `null` for no clipping. Default `[0, 1]`. */
  clip?: readonly [number, number] | null;
}

/**
 * Random gamma correction: `out = gain · max(x, 0)^γ` (as `tf.image.adjust_gamma` and
 * torchvision's `adjust_gamma`; negative inputs count as 0), then clips.
 *
 * Works on any number of channels. A mask passes through unchanged. In a batch each image
 * draws its own γ.
 *
 * Input and output: `[h, w, c]` or `[batch, h, w, c]` float32, meant for values in [0, 1].
 *
 * @param config - the exponent range, gain and clipping range.
 * @returns a {@link Transform}.
 * @throws {@link @tensorloom/core!ConfigError} when a γ could be ≤ 0, or for a bad `gain` or `clip`.
 * @example
 * ```ts
 * const t = augment.randomGamma({ gamma: [0.8, 1.25] });
 * const out = t(image, rng(1));
 * ```
 */
export function randomGamma(config: RandomGammaConfig): Transform {
  const unit = 'randomGamma';
  const [lo, hi] = checkInterval(unit, 'gamma', config.gamma, { lowest: 0, open: true });
  const gain = finiteNumber(unit, 'gain', config.gain ?? 1);
  const clip = checkClip(unit, config.clip === undefined ? [0, 1] : config.clip);
  return (sample, source) => {
    const r = resolveRng(unit, source);
    return applyToSample(unit, sample, ({ images, n }) => {
      const gamma = perExample(Array.from({ length: n }, () => r.range(lo, hi)));
      return { images: clipTo(tf.mul(tf.pow(tf.relu(images), gamma), gain), clip) };
    });
  };
}

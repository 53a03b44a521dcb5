import { ConfigError, ShapeError, describeValue, formatShape, tf } from '@tensorloom/core';
import { applyToSample } from '../internal/sample.js';
import type { DeterministicTransform } from '../types.js';

/**
 * Options of {@link normalize}.
 *
 * @example
 * ```ts
 * const mnist = augment.normalize({ mean: 0.1307, std: 0.3081 });
 * const imagenet = augment.normalize({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
 * const x = imagenet(rgbImage);
 * ```
 */
export interface NormalizeConfig {
  /** Mean to subtract: one number for every channel, or one per channel. */
  mean: number | readonly number[];
  /** Standard deviation to divide by (each > 0): one number, or one per channel. */
  std: number | readonly number[];
}

/**
 * Standardises images per channel: `out = (x - mean) / std`.
 *
 * Use it last, after the pixel-value augmentations (which clip to [0, 1] by default). A
 * mask passes through unchanged.
 *
 * Input and output: `[h, w, c]` or `[batch, h, w, c]` float32; per-channel lists must have
 * `c` entries.
 *
 * @param config - the means and standard deviations.
 * @returns a {@link DeterministicTransform}; the rng argument is optional and unused.
 * @throws {@link @tensorloom/core!ConfigError} for empty or non-finite lists, lists of different lengths, or a std ≤ 0.
 * @throws {@link @tensorloom/core!ShapeError} at call time when per-channel lists do not match the channels.
 * @example
 * ```ts
 * const mnist = augment.normalize({ mean: 0.1307, std: 0.3081 });
 * const imagenet = augment.normalize({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
 * const x = imagenet(rgbImage);
 * ```
 */
export function normalize(config: NormalizeConfig): DeterministicTransform {
  const unit = 'normalize';
  const mean = list(unit, 'mean', config.mean, false);
  const std = list(unit, 'std', config.std, true);
  if (mean.length > 1 && std.length > 1 && mean.length !== std.length) {
    throw new ConfigError(`${unit}: std expected ${mean.length} entries to match mean, got ${std.length}`);
  }
  const channels = Math.max(mean.length, std.length);
  return (sample) =>
    applyToSample(unit, sample, ({ images, shape }) => {
      if (channels > 1 && images.shape[3] !== channels) {
        throw new ShapeError(
          `${unit}: image axis -1 expected ${channels} channels to match mean and std, got shape ${formatShape(shape)}`,
        );
      }
      return { images: tf.div(tf.sub(images, tf.tensor1d(mean)), tf.tensor1d(std)) };
    });
}

function list(unit: string, arg: string, value: unknown, positive: boolean): number[] {
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0);
  if (ok(value)) return [value];
  if (Array.isArray(value) && value.length > 0 && value.every(ok)) return [...value];
  const kind = positive ? 'number > 0' : 'finite number';
  throw new ConfigError(`${unit}: ${arg} expected a ${kind} or a non-empty list of them, got ${describeValue(value)}`);
}

import { ConfigError, ShapeError, describeValue, finiteNumber, formatShape, oneOf, tf } from '@tensorloom/core';
import { applyToSample } from '../internal/sample.js';
import type { DeterministicTransform } from '../types.js';

/**
 * Options of {@link pad}.
 *
 * @example
 * ```ts
 * const padded = augment.pad({ padding: 2 })(tf.ones([28, 28, 1]) as tf.Tensor3D); // [32, 32, 1]
 * ```
 */
export interface PadConfig {
  /**
   * Pixels to add: one number for every side, `[y, x]` (top and bottom, left and right), or
   * `[top, bottom, left, right]`. Non-negative integers.
   */
  padding: number | readonly [number, number] | readonly [number, number, number, number];
  /**
   * What goes in the border (NumPy's `np.pad` names):
   * - `'constant'`: `value` (and `maskValue` in a mask);
   * - `'reflect'`: mirror without repeating the edge pixel, `dcb|abcd|cba`
   *   (needs padding < the image side);
   * - `'symmetric'`: mirror repeating the edge pixel, `cba|abcd|dcb` (padding ≤ the side).
   *
   * Default `'constant'`.
   */
  mode?: 'constant' | 'reflect' | 'symmetric';
  /** Image value for `'constant'`. Default `0`. */
  value?: number;
  /** Mask value (class id) for `'constant'`. Default `0`. */
  maskValue?: number;
}

/**
 * Pads images (and a mask the same way) on the height and width axes.
 *
 * Input: `[h, w, c]` or `[batch, h, w, c]` float32. Output: `[h + top + bottom, w + left +
 * right, c]` (with the batch axis when given).
 *
 * @param config - the padding and what fills it.
 * @returns a {@link DeterministicTransform}; the rng argument is optional and unused.
 * @throws {@link @tensorloom/core!ConfigError} for a bad padding, mode or value.
 * @throws {@link @tensorloom/core!ShapeError} at call time when a mirror padding is larger than the image allows.
 * @example
 * ```ts
 * const padded = augment.pad({ padding: 2 })(tf.ones([28, 28, 1]) as tf.Tensor3D); // [32, 32, 1]
 * ```
 */
export function pad(config: PadConfig): DeterministicTransform {
  const unit = 'pad';
  const sides = padding(unit, config.padding);
  const mode = oneOf(unit, 'mode', config.mode ?? 'constant', ['constant', 'reflect', 'symmetric'] as const);
  const value = finiteNumber(unit, 'value', config.value ?? 0);
  const maskValue = finiteNumber(unit, 'maskValue', config.maskValue ?? 0);
  const [top, bottom, left, right] = sides;
  const paddings: [number, number][] = [[0, 0], [top, bottom], [left, right], [0, 0]];
  return (sample) =>
    applyToSample(unit, sample, ({ images, masks, height, width, shape }) => {
      if (mode !== 'constant') {
        const limit = mode === 'reflect' ? 1 : 0;
        if (Math.max(top, bottom) > height - limit || Math.max(left, right) > width - limit) {
          throw new ShapeError(
            `${unit}: image expected height and width ${mode === 'reflect' ? '>' : '>='} the padding [${sides.join(', ')}] for mode '${mode}', got shape ${formatShape(shape)}`,
          );
        }
        const out = tf.mirrorPad(images, paddings, mode);
        return masks === null ? { images: out } : { images: out, masks: tf.mirrorPad(masks, paddings, mode) };
      }
      const out = tf.pad(images, paddings, value);
      return masks === null ? { images: out } : { images: out, masks: tf.pad(masks, paddings, maskValue) };
    });
}

function padding(unit: string, p: unknown): [number, number, number, number] {
  const fail = (): never => {
    throw new ConfigError(
      `${unit}: padding expected an integer >= 0, a [y, x] pair or a [top, bottom, left, right] list of them, got ${describeValue(p)}`,
    );
  };
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  if (ok(p)) return [p, p, p, p];
  if (!Array.isArray(p) || !p.every(ok)) return fail();
  if (p.length === 2) return [p[0], p[0], p[1], p[1]];
  if (p.length === 4) return [p[0], p[1], p[2], p[3]];
  return fail();
}

import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomHue } from './random-hue.js';
import { maxAbsDiff } from '../internal/testing.js';

/** RGB → HSV → shift hue by `delta` turns → RGB in float64 (Python colorsys's formulas). */
function hueShift64(r: number, g: number, b: number, delta: number): [number, number, number] {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const v = max;
  if (max === min) return [v, v, v];
  const s = (max - min) / max;
  const rc = (max - r) / (max - min);
  const gc = (max - g) / (max - min);
  const bc = (max - b) / (max - min);
  let h = r === max ? bc - gc : g === max ? 2 + rc - bc : 4 + gc - rc;
  h = (((h / 6) % 1) + 1) % 1;
  h = (((h + delta) % 1) + 1) % 1;
  const i = Math.floor(h * 6);
  const f = h * 6 - i;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  switch (i % 6) {
    case 0: return [v, t, p];
    case 1: return [q, v, p];
    case 2: return [p, v, t];
    case 3: return [p, q, v];
    case 4: return [t, p, v];
    default: return [v, p, q];
  }
}

describe('randomHue', () => {
  it('matches a float64 RGB→HSV→RGB reference for shifts across [-0.5, 0.5]', () => {
    const pixels = Array.from(rng(11).uniformTensor([6, 6, 3]).dataSync());
    pixels.push(0.5, 0.5, 0.5, 1, 0, 0, 0, 1, 0, 0, 0, 1); // grey, pure red, green, blue
    const n = pixels.length / 3;
    const x = tf.tensor3d(pixels, [1, n, 3]);
    for (const delta of [-0.5, -0.3, -0.05, 0, 0.1, 1 / 3, 0.5]) {
      const out = randomHue({ delta: [delta, delta] })(x, rng(1));
      const expected: number[] = [];
      for (let p = 0; p < n; p++) {
        expected.push(...hueShift64(pixels[3 * p] as number, pixels[3 * p + 1] as number, pixels[3 * p + 2] as number, delta));
      }
      expect(maxAbsDiff(out, expected)).toBeLessThan(2e-6);
    }
  });

  it('turns pure red into green by a third of a turn (by hand)', () => {
    const out = randomHue({ delta: [1 / 3, 1 / 3] })(tf.tensor3d([1, 0, 0], [1, 1, 3]), rng(1));
    expect(maxAbsDiff(out, [0, 1, 0])).toBeLessThan(1e-6);
  });

  it('draws a shift per image of a batch', () => {
    const x = tf.tile(tf.tensor4d([0.9, 0.2, 0.1], [1, 1, 1, 3]), [4, 1, 1, 1]) as tf.Tensor4D;
    const out = randomHue({ delta: 0.5 })(x, rng(2)).arraySync() as number[][][][];
    expect(new Set(out.map((img) => img[0]?.[0]?.join(','))).size).toBe(4);
  });

  it('refuses a 1-channel image with a clear message, and checks delta when made', () => {
    expect(() => randomHue({ delta: 0.1 })(tf.zeros([2, 5, 5, 1]) as tf.Tensor4D, rng(1))).toThrow(
      'randomHue: image axis -1 expected 3 channels (RGB), got shape [2, 5, 5, 1]',
    );
    expect(() => randomHue({ delta: 0.6 })).toThrow(
      'randomHue: delta expected a number in [0, 0.5] or a [min, max] pair of numbers in [-0.5, 0.5] with min <= max, got 0.6',
    );
  });

  it('is reproducible and varies with the seed', () => {
    const x = rng(0).uniformTensor([3, 3, 3]) as tf.Tensor3D;
    const t = randomHue({ delta: 0.2 });
    expect(Array.from(t(x, rng(2)).dataSync())).toEqual(Array.from(t(x, rng(2)).dataSync()));
    expect(Array.from(t(x, rng(2)).dataSync())).not.toEqual(Array.from(t(x, rng(3)).dataSync()));
  });

  it('does not leak', async () => {
    const x = rng(0).uniformTensor([2, 3, 3, 3]) as tf.Tensor4D;
    await expectNoLeaks(() => randomHue({ delta: 0.2 })(x, rng(1)), 'hue');
  });
});

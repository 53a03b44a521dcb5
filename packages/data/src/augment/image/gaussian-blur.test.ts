import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { gaussianBlur } from './gaussian-blur.js';
import { maxAbsDiff } from '../internal/testing.js';

/** 2-D Gaussian blur of an h×w×c image in float64 with 'reflect' borders (dcb|abcd|cba). */
function blur64(x: number[], h: number, w: number, c: number, size: number, sigma: number): number[] {
  const r = (size - 1) / 2;
  const g = Array.from({ length: size }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  const total = g.reduce((a, b) => a + b, 0);
  const k = g.map((v) => v / total);
  const reflect = (i: number, n: number): number => (i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
  const out: number[] = [];
  for (let y = 0; y < h; y++)
    for (let xx = 0; xx < w; xx++)
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let dy = -r; dy <= r; dy++)
          for (let dx = -r; dx <= r; dx++) {
            s += (k[dy + r] as number) * (k[dx + r] as number) * (x[(reflect(y + dy, h) * w + reflect(xx + dx, w)) * c + ch] as number);
          }
        out.push(s);
      }
  return out;
}

describe('gaussianBlur', () => {
  it('spreads an impulse into the outer product of the normalised 1-D kernel (by hand, σ = 1, 3 taps)', () => {
    const x = tf.tensor3d([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [5, 5, 1]);
    const e = Math.exp(-0.5);
    const w = [e / (1 + 2 * e), 1 / (1 + 2 * e), e / (1 + 2 * e)];
    const expected = new Array<number>(25).fill(0);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expected[(i + 1) * 5 + j + 1] = (w[i] as number) * (w[j] as number);
    expect(maxAbsDiff(gaussianBlur({ kernelSize: 3, sigma: 1 })(x, rng(1)), expected)).toBeLessThan(1e-6);
  });

  it('matches a float64 reference with reflected borders on grey and RGB images', () => {
    for (const c of [1, 3]) {
      const pixels = Array.from(rng(c).uniformTensor([6, 7, c]).dataSync());
      const out = gaussianBlur({ kernelSize: 5, sigma: 1.3 })(tf.tensor3d(pixels, [6, 7, c]), rng(1));
      expect(maxAbsDiff(out, blur64(pixels, 6, 7, c, 5, 1.3))).toBeLessThan(1e-5);
    }
  });

  it('blurs each image of a batch with its own σ, and keeps constant images constant', () => {
    const impulse = tf.buffer([1, 5, 5, 1]);
    impulse.set(1, 0, 2, 2, 0);
    const x = tf.concat([tf.tile(impulse.toTensor(), [3, 1, 1, 1]), tf.fill([1, 5, 5, 1], 0.7)]) as tf.Tensor4D;
    const out = gaussianBlur({ kernelSize: 3, sigma: [0.3, 3] })(x, rng(5)).arraySync() as number[][][][];
    const centres = out.slice(0, 3).map((img) => img[2]?.[2]?.[0] as number);
    expect(new Set(centres).size).toBe(3);
    // The centre weight w(0)² lies between its values at σ = 3 and σ = 0.3.
    const centre = (s: number): number => (1 / (1 + 2 * Math.exp(-1 / (2 * s * s)))) ** 2;
    for (const v of centres) {
      expect(v).toBeGreaterThan(centre(3) - 1e-6);
      expect(v).toBeLessThan(centre(0.3) + 1e-6);
    }
    for (const v of (out[3] as number[][][]).flat(2)) expect(v).toBeCloseTo(0.7, 6);
  });

  it('checks its configuration when made and the image size when called', () => {
    expect(() => gaussianBlur({ kernelSize: 4, sigma: 1 })).toThrow('gaussianBlur: kernelSize expected an odd integer >= 3, got 4');
    expect(() => gaussianBlur({ kernelSize: 1, sigma: 1 })).toThrow('gaussianBlur: kernelSize expected an integer >= 3, got 1');
    expect(() => gaussianBlur({ kernelSize: 3, sigma: 0 })).toThrow(
      'gaussianBlur: sigma expected a number > 0 or a [min, max] pair of numbers > 0 with min <= max, got 0',
    );
    expect(() => gaussianBlur({ kernelSize: 7, sigma: 1 })(tf.zeros([3, 8, 1]) as tf.Tensor3D, rng(1))).toThrow(
      'gaussianBlur: image expected height and width > 3 (kernel radius), got shape [3, 8, 1]',
    );
  });

  it('is reproducible and does not leak', async () => {
    const x = rng(0).uniformTensor([2, 5, 5, 3]) as tf.Tensor4D;
    const t = gaussianBlur({ kernelSize: 3, sigma: [0.5, 2] });
    expect(Array.from(t(x, rng(2)).dataSync())).toEqual(Array.from(t(x, rng(2)).dataSync()));
    await expectNoLeaks(() => t(x, rng(1)), 'blur');
  });
});

import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomBrightness } from './random-brightness.js';
import { maxAbsDiff } from '../internal/testing.js';

describe('randomBrightness', () => {
  it.each([
    ['grey', [2, 2, 1], [0.1, 0.5, 0.7, 0.95]],
    ['RGB', [1, 2, 3], [0.1, 0.5, 0.7, 0.95, 0.0, 0.3]],
  ])('adds the delta and clips to [0, 1] on a %s image: out = min(max(x + δ, 0), 1)', (_, shape, pixels) => {
    const out = randomBrightness({ delta: [0.2, 0.2] })(tf.tensor3d(pixels, shape as [number, number, number]), rng(1));
    expect(maxAbsDiff(out, pixels.map((v) => Math.min(1, v + 0.2)))).toBeLessThan(1e-6);
  });

  it('does not clip with clip: null, and clips to a given range', () => {
    const x = tf.tensor3d([0.9, -0.5], [1, 2, 1]);
    expect(maxAbsDiff(randomBrightness({ delta: [0.3, 0.3], clip: null })(x, rng(1)), [1.2, -0.2])).toBeLessThan(1e-6);
    expect(maxAbsDiff(randomBrightness({ delta: [0.3, 0.3], clip: [0, 1.1] })(x, rng(1)), [1.1, 0])).toBeLessThan(1e-6);
  });

  it('draws one delta per image of a batch, within [-d, d], and leaves the mask alone', () => {
    const image = tf.fill([8, 2, 2, 1], 0.5) as tf.Tensor4D;
    const mask = tf.zeros([8, 2, 2], 'int32');
    const out = randomBrightness({ delta: 0.3 })({ image, mask }, rng(4));
    expect(out.mask).toBe(mask);
    const px = out.image.dataSync();
    const deltas = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const d = (px[i * 4] as number) - 0.5;
      expect(Math.abs(d)).toBeLessThanOrEqual(0.3);
      for (let k = 1; k < 4; k++) expect(px[i * 4 + k]).toBe(px[i * 4]);
      deltas.add(d);
    }
    expect(deltas.size).toBe(8);
  });

  it('is reproducible and varies with the seed', () => {
    const x = tf.fill([4, 4, 3], 0.5) as tf.Tensor3D;
    const t = randomBrightness({ delta: 0.2 });
    expect(Array.from(t(x, rng(2)).dataSync())).toEqual(Array.from(t(x, rng(2)).dataSync()));
    expect(Array.from(t(x, rng(2)).dataSync())).not.toEqual(Array.from(t(x, rng(3)).dataSync()));
  });

  it('checks its configuration when made', () => {
    expect(() => randomBrightness({ delta: -0.1 })).toThrow(
      'randomBrightness: delta expected a number >= 0 or a [min, max] pair of finite numbers with min <= max, got -0.1',
    );
    expect(() => randomBrightness({ delta: 0.1, clip: [1, 0] })).toThrow(
      'randomBrightness: clip expected a [min, max] pair of finite numbers with min <= max, got [1, 0]',
    );
  });

  it('does not leak', async () => {
    const x = tf.fill([2, 3, 3, 1], 0.5) as tf.Tensor4D;
    await expectNoLeaks(() => randomBrightness({ delta: 0.1 })(x, rng(1)), 'brightness');
  });
});

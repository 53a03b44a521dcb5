import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { gaussianNoise } from './gaussian-noise.js';

describe('gaussianNoise', () => {
  it('adds noise with the requested mean and standard deviation', () => {
    const x = tf.fill([64, 64, 1], 0.5) as tf.Tensor3D;
    const d = Array.from(gaussianNoise({ std: 0.1, mean: 0.02, clip: null })(x, rng(1)).dataSync()).map((v) => v - 0.5);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
    // 4096 draws: the sample mean is within ±0.005 (3.2 standard errors), the std within 5%.
    expect(Math.abs(mean - 0.02)).toBeLessThan(0.005);
    expect(Math.abs(std - 0.1)).toBeLessThan(0.005);
  });

  it('is the identity at std 0 and clips to [0, 1] by default', () => {
    const x = tf.tensor3d([0, 0.5, 1], [1, 3, 1]);
    expect(Array.from(gaussianNoise({ std: 0 })(x, rng(1)).dataSync())).toEqual([0, 0.5, 1]);
    const out = Array.from(gaussianNoise({ std: 1 })(tf.fill([8, 8, 1], 0.5) as tf.Tensor3D, rng(1)).dataSync());
    expect(Math.min(...out)).toBe(0);
    expect(Math.max(...out)).toBe(1);
  });

  it('draws one std per image from a range', () => {
    const x = tf.zeros([2, 32, 32, 1]) as tf.Tensor4D;
    const out = gaussianNoise({ std: [0.01, 1], clip: null })(x, rng(3)).arraySync() as number[][][][];
    const stds = out.map((img) => {
      const v = img.flat(2);
      return Math.sqrt(v.reduce((a, b) => a + b * b, 0) / v.length);
    });
    expect(Math.abs((stds[0] as number) - (stds[1] as number))).toBeGreaterThan(0.05);
  });

  it('is reproducible and varies with the seed', () => {
    const x = tf.fill([3, 3, 3], 0.5) as tf.Tensor3D;
    const t = gaussianNoise({ std: 0.1 });
    expect(Array.from(t(x, rng(2)).dataSync())).toEqual(Array.from(t(x, rng(2)).dataSync()));
    expect(Array.from(t(x, rng(2)).dataSync())).not.toEqual(Array.from(t(x, rng(3)).dataSync()));
  });

  it('checks its configuration when made', () => {
    expect(() => gaussianNoise({ std: -0.1 })).toThrow(
      'gaussianNoise: std expected a number >= 0 or a [min, max] pair of numbers >= 0 with min <= max, got -0.1',
    );
  });

  it('does not leak', async () => {
    const x = tf.fill([2, 2, 2, 1], 0.5) as tf.Tensor4D;
    await expectNoLeaks(() => gaussianNoise({ std: [0.1, 0.2] })(x, rng(1)), 'noise');
  });
});

import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomContrast } from './random-contrast.js';
import { maxAbsDiff } from '../internal/testing.js';

describe('randomContrast', () => {
  it('scales a grey image about its mean: [0.25, 0.75] with k = 2 gives [0, 1] (mean 0.5)', () => {
    const out = randomContrast({ factor: [2, 2] })(tf.tensor3d([0.25, 0.75], [1, 2, 1]), rng(1));
    expect(maxAbsDiff(out, [0, 1])).toBeLessThan(1e-6);
  });

  it('uses each channel’s own mean on an RGB image (by hand, k = 0.5)', () => {
    // Pixels (0.2, 0.4, 0.9) and (0.6, 0.8, 0.1): channel means 0.4, 0.6, 0.5.
    // out = mean + 0.5·(x − mean): (0.3, 0.5, 0.7) and (0.5, 0.7, 0.3).
    const x = tf.tensor3d([0.2, 0.4, 0.9, 0.6, 0.8, 0.1], [1, 2, 3]);
    const out = randomContrast({ factor: [0.5, 0.5] })(x, rng(1));
    expect(maxAbsDiff(out, [0.3, 0.5, 0.7, 0.5, 0.7, 0.3])).toBeLessThan(1e-6);
  });

  it('gives every pixel the channel mean at k = 0 and clips at k > 1', () => {
    const x = tf.tensor3d([0.1, 0.3, 0.8], [1, 3, 1]);
    expect(maxAbsDiff(randomContrast({ factor: [0, 0] })(x, rng(1)), [0.4, 0.4, 0.4])).toBeLessThan(1e-6);
    expect(maxAbsDiff(randomContrast({ factor: [3, 3] })(x, rng(1)), [0, 0.1, 1])).toBeLessThan(1e-6);
  });

  it('uses each image’s own mean and factor in a batch', () => {
    // Image 0 is constant 0.2, image 1 constant 0.7: any factor keeps a constant image.
    const x = tf.concat([tf.fill([1, 2, 2, 1], 0.2), tf.fill([1, 2, 2, 1], 0.7)]) as tf.Tensor4D;
    const out = randomContrast({ factor: 0.5 })(x, rng(1));
    expect(maxAbsDiff(out, [0.2, 0.2, 0.2, 0.2, 0.7, 0.7, 0.7, 0.7])).toBeLessThan(1e-6);
  });

  it('is reproducible and varies with the seed', () => {
    const x = rng(0).uniformTensor([4, 4, 3]) as tf.Tensor3D;
    const t = randomContrast({ factor: 0.5 });
    expect(Array.from(t(x, rng(2)).dataSync())).toEqual(Array.from(t(x, rng(2)).dataSync()));
    expect(Array.from(t(x, rng(2)).dataSync())).not.toEqual(Array.from(t(x, rng(3)).dataSync()));
  });

  it('checks its configuration when made', () => {
    expect(() => randomContrast({ factor: [-1, 2] })).toThrow(
      'randomContrast: factor expected a number >= 0 or a [min, max] pair of numbers >= 0 with min <= max, got [-1, 2]',
    );
  });

  it('does not leak', async () => {
    const x = tf.fill([2, 3, 3, 3], 0.5) as tf.Tensor4D;
    await expectNoLeaks(() => randomContrast({ factor: 0.3 })(x, rng(1)), 'contrast');
  });
});

import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomSaturation } from './random-saturation.js';
import { maxAbsDiff } from '../internal/testing.js';

describe('randomSaturation', () => {
  // The pixel (0.5, 0.2, 0.1): grey g = 0.299·0.5 + 0.587·0.2 + 0.114·0.1 = 0.2783.
  const g = 0.2783;
  const pixel = (): tf.Tensor3D => tf.tensor3d([0.5, 0.2, 0.1], [1, 1, 3]);

  it('turns a pixel grey at k = 0 (BT.601 luma)', () => {
    expect(maxAbsDiff(randomSaturation({ factor: [0, 0] })(pixel(), rng(1)), [g, g, g])).toBeLessThan(1e-6);
  });

  it('doubles the distance from grey at k = 2 and clips: 2x − g = (0.7217, 0.1217, −0.0783 → 0)', () => {
    expect(maxAbsDiff(randomSaturation({ factor: [2, 2] })(pixel(), rng(1)), [0.7217, 0.1217, 0])).toBeLessThan(1e-6);
  });

  it('leaves grey pixels grey for any factor', () => {
    const x = tf.tensor4d([0.3, 0.3, 0.3, 0.8, 0.8, 0.8], [2, 1, 1, 3]);
    expect(maxAbsDiff(randomSaturation({ factor: 0.9 })(x, rng(1)), [0.3, 0.3, 0.3, 0.8, 0.8, 0.8])).toBeLessThan(1e-6);
  });

  it('refuses a 1-channel image with a clear message', () => {
    expect(() => randomSaturation({ factor: 0.5 })(tf.zeros([28, 28, 1]) as tf.Tensor3D, rng(1))).toThrow(
      'randomSaturation: image axis -1 expected 3 channels (RGB), got shape [28, 28, 1]',
    );
  });

  it('is reproducible and varies with the seed', () => {
    const x = rng(0).uniformTensor([3, 3, 3]) as tf.Tensor3D;
    const t = randomSaturation({ factor: 0.5 });
    expect(Array.from(t(x, rng(2)).dataSync())).toEqual(Array.from(t(x, rng(2)).dataSync()));
    expect(Array.from(t(x, rng(2)).dataSync())).not.toEqual(Array.from(t(x, rng(3)).dataSync()));
  });

  it('does not leak', async () => {
    const x = rng(0).uniformTensor([2, 3, 3, 3]) as tf.Tensor4D;
    await expectNoLeaks(() => randomSaturation({ factor: 0.3 })(x, rng(1)), 'saturation');
  });
});

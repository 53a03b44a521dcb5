import { describe, expect, it } from 'vitest';
import { expectNoLeaks, tf } from '@tensorloom/core';
import { normalize } from './normalize.js';
import { maxAbsDiff } from '../internal/testing.js';

describe('normalize', () => {
  it('standardises a grey image with scalars: (x − 0.5) / 0.25', () => {
    expect(maxAbsDiff(normalize({ mean: 0.5, std: 0.25 })(tf.tensor3d([0, 0.5, 1], [1, 3, 1])), [-2, 0, 2])).toBeLessThan(1e-6);
  });

  it('uses one mean and std per channel on RGB images, single and batch', () => {
    const t = normalize({ mean: [0.1, 0.2, 0.3], std: [0.5, 1, 2] });
    const x = tf.tensor4d([0.6, 0.2, 0.3, 0.1, 1.2, 2.3], [2, 1, 1, 3]);
    expect(maxAbsDiff(t(x), [1, 0, 0, 0, 1, 1])).toBeLessThan(1e-6);
    expect(maxAbsDiff(t(tf.tensor3d([0.6, 0.2, 0.3], [1, 1, 3])), [1, 0, 0])).toBeLessThan(1e-6);
  });

  it('checks its configuration when made and the channels when called', () => {
    expect(() => normalize({ mean: 0, std: 0 })).toThrow(
      'normalize: std expected a number > 0 or a non-empty list of them, got 0',
    );
    expect(() => normalize({ mean: [0, 0], std: [1, 1, 1] })).toThrow('normalize: std expected 2 entries to match mean, got 3');
    expect(() => normalize({ mean: [0, 0, 0], std: 1 })(tf.zeros([4, 4, 1]) as tf.Tensor3D)).toThrow(
      'normalize: image axis -1 expected 3 channels to match mean and std, got shape [4, 4, 1]',
    );
  });

  it('does not leak', async () => {
    const x = tf.zeros([2, 2, 2, 3]) as tf.Tensor4D;
    await expectNoLeaks(() => normalize({ mean: [0.1, 0.2, 0.3], std: 0.5 })(x), 'normalize');
  });
});

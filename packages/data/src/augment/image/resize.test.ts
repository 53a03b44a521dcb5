import { describe, expect, it } from 'vitest';
import { expectNoLeaks, tf } from '@tensorloom/core';
import { resize } from './resize.js';
import { alignment, coordinateBatch, maxAbsDiff } from '../internal/testing.js';

describe('resize', () => {
  it('upsamples 1×2 to 1×4 with half-pixel centres (by hand), mask by nearest neighbour', () => {
    // Output x samples (x + 0.5)·(2/4) − 0.5 = −0.25, 0.25, 0.75, 1.25, clamped to [0, 1]:
    // values 0, 0.25, 0.75, 1 for the ramp [0, 1]; nearest picks floor((x + 0.5)/2) = 0, 0, 1, 1.
    const out = resize({ height: 1, width: 4 })({ image: tf.tensor3d([0, 1], [1, 2, 1]), mask: tf.tensor2d([[3, 7]], [1, 2], 'int32') });
    expect(maxAbsDiff(out.image, [0, 0.25, 0.75, 1])).toBeLessThan(1e-6);
    expect(out.mask.arraySync()).toEqual([[3, 3, 7, 7]]);
    expect(out.mask.dtype).toBe('int32');
  });

  it('downsamples 4×4 to 2×2 by averaging each 2×2 block (samples at block centres)', () => {
    const x = tf.tensor3d(Array.from({ length: 16 }, (_, i) => i), [4, 4, 1]);
    const out = resize({ height: 2, width: 2 })(x);
    expect(maxAbsDiff(out, [2.5, 4.5, 10.5, 12.5])).toBeLessThan(1e-5);
  });

  it('keeps a batch of masks aligned with the images', () => {
    const { image, mask } = coordinateBatch(2, 6, 5);
    const out = resize({ height: 9, width: 13 })({ image, mask });
    expect(out.image.shape).toEqual([2, 9, 13, 3]);
    expect(out.mask.shape).toEqual([2, 9, 13]);
    const { checkedFraction, worst } = alignment(out.image, out.mask, 5);
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-4);
    for (const f of checkedFraction) expect(f).toBe(1);
  });

  it('checks the size when made', () => {
    expect(() => resize({ height: 28, width: -1 })).toThrow('resize: width expected an integer >= 1, got -1');
  });

  it('does not leak', async () => {
    const { image, mask } = coordinateBatch(2, 4, 4);
    await expectNoLeaks(() => resize({ height: 3, width: 3 })({ image, mask }), 'resize');
  });
});

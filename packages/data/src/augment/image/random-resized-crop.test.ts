import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomResizedCrop } from './random-resized-crop.js';
import { alignment, coordinateBatch, maxAbsDiff } from '../internal/testing.js';

describe('randomResizedCrop', () => {
  it('with the whole image as the only region, equals tf.image.resizeBilinear with half-pixel centres', () => {
    const x = rng(1).uniformTensor([6, 6, 2]) as tf.Tensor3D;
    const out = randomResizedCrop({ height: 4, width: 9, scale: [1, 1], ratio: [1, 1] })(x, rng(2));
    const reference = tf.image.resizeBilinear(x, [4, 9], false, true);
    expect(maxAbsDiff(out, reference.dataSync())).toBeLessThan(1e-5);
  });

  it('crops regions whose area and ratio lie in the ranges, and keeps masks aligned', () => {
    const { image, mask } = coordinateBatch(6, 20, 20);
    const out = randomResizedCrop({ height: 8, width: 8, scale: [0.25, 0.5], ratio: [0.5, 2] })({ image, mask }, rng(3));
    expect(out.image.shape).toEqual([6, 8, 8, 3]);
    expect(out.mask.shape).toEqual([6, 8, 8]);
    const { checkedFraction, worst } = alignment(out.image, out.mask, 20);
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-4);
    for (const f of checkedFraction) expect(f).toBe(1);
    // The span of source rows/columns seen covers (h − 1)·(1 − 1/8)… of the region: bounded by it.
    const img = out.image.arraySync() as number[][][][];
    for (const crop of img) {
      const rows = (crop[7]?.[0]?.[0] as number) - (crop[0]?.[0]?.[0] as number); // ≈ h·7/8
      const cols = (crop[0]?.[7]?.[1] as number) - (crop[0]?.[0]?.[1] as number); // ≈ w·7/8
      const area = ((rows * 8) / 7) * ((cols * 8) / 7);
      expect(area / 400).toBeGreaterThan(0.2); // rounding of h and w widens the range a little
      expect(area / 400).toBeLessThan(0.56);
    }
  });

  it('is reproducible and varies with the seed', () => {
    const { image } = coordinateBatch(2, 10, 10);
    const t = randomResizedCrop({ height: 5, width: 5 });
    expect(Array.from(t(image, rng(1)).dataSync())).toEqual(Array.from(t(image, rng(1)).dataSync()));
    expect(maxAbsDiff(t(image, rng(1)), t(image, rng(2)).dataSync())).toBeGreaterThan(0);
  });

  it('checks its configuration when made', () => {
    expect(() => randomResizedCrop({ height: 8, width: 8, scale: [0.5, 1.5] })).toThrow(
      'randomResizedCrop: scale expected a [min, max] pair of numbers in (0, 1] with min <= max, got [0.5, 1.5]',
    );
    expect(() => randomResizedCrop({ height: 8, width: 8, ratio: [2, 1] })).toThrow(
      'randomResizedCrop: ratio expected a [min, max] pair of numbers > 0 with min <= max, got [2, 1]',
    );
  });

  it('does not leak', async () => {
    const { image, mask } = coordinateBatch(2, 6, 6);
    await expectNoLeaks(() => randomResizedCrop({ height: 3, width: 3 })({ image, mask }, rng(1)), 'rrc');
  });
});

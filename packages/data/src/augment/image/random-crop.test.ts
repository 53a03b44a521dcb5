import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomCrop } from './random-crop.js';
import { coordinateBatch } from '../internal/testing.js';

describe('randomCrop', () => {
  it('cuts an exact window, the same one out of the mask, at a position drawn per image', () => {
    const { image, mask } = coordinateBatch(12, 6, 7);
    const out = randomCrop({ height: 3, width: 4 })({ image, mask }, rng(2));
    expect(out.image.shape).toEqual([12, 3, 4, 3]);
    expect(out.mask.shape).toEqual([12, 3, 4]);
    const img = out.image.arraySync() as number[][][][];
    const ids = out.mask.arraySync() as number[][][];
    const corners = new Set<string>();
    img.forEach((crop, i) => {
      const [top, left] = crop[0]?.[0] as number[] as [number, number];
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThanOrEqual(3);
      expect(left).toBeGreaterThanOrEqual(0);
      expect(left).toBeLessThanOrEqual(3);
      corners.add(`${top},${left}`);
      for (let y = 0; y < 3; y++)
        for (let x = 0; x < 4; x++) {
          expect(crop[y]?.[x]).toEqual([top + y, left + x, 1]);
          expect(ids[i]?.[y]?.[x]).toBe((top + y) * 7 + left + x);
        }
    });
    expect(corners.size).toBeGreaterThan(3);
  });

  it('returns the whole image when the crop is the image size', () => {
    const x = tf.tensor3d([1, 2, 3, 4], [2, 2, 1]);
    expect(randomCrop({ height: 2, width: 2 })(x, rng(1)).arraySync()).toEqual([[[1], [2]], [[3], [4]]]);
  });

  it('is reproducible and varies with the seed', () => {
    const { image } = coordinateBatch(4, 8, 8);
    const t = randomCrop({ height: 4, width: 4 });
    expect(Array.from(t(image, rng(1)).dataSync())).toEqual(Array.from(t(image, rng(1)).dataSync()));
    expect(Array.from(t(image, rng(1)).dataSync())).not.toEqual(Array.from(t(image, rng(2)).dataSync()));
  });

  it('checks the size when made and the image when called', () => {
    expect(() => randomCrop({ height: 0, width: 3 })).toThrow('randomCrop: height expected an integer >= 1, got 0');
    expect(() => randomCrop({ height: 3, width: 2.5 })).toThrow('randomCrop: width expected an integer >= 1, got 2.5');
    expect(() => randomCrop({ height: 4, width: 4 })(tf.zeros([3, 5, 1]) as tf.Tensor3D, rng(1))).toThrow(
      'randomCrop: image expected height >= 4 and width >= 4, got shape [3, 5, 1]',
    );
  });

  it('does not leak', async () => {
    const { image, mask } = coordinateBatch(3, 5, 5);
    await expectNoLeaks(() => randomCrop({ height: 2, width: 3 })({ image, mask }, rng(1)), 'crop');
  });
});

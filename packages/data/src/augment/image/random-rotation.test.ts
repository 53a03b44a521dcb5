import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomRotation } from './random-rotation.js';
import { alignment, coordinateBatch, maxAbsDiff } from '../internal/testing.js';

/** np.rot90 (counter-clockwise) of an h×w single-channel image given row-major: B[i][j] = A[j][w-1-i]. */
function rot90(a: number[], h: number, w: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < w; i++) for (let j = 0; j < h; j++) out.push(a[j * w + (w - 1 - i)] as number);
  return out;
}

describe('randomRotation', () => {
  const pixels = Array.from({ length: 25 }, (_, i) => (i * 7) % 11); // 5×5, no symmetry

  it('rotates by 90° as np.rot90 (transpose then flip upside down) and by -90° the other way', () => {
    const x = tf.tensor3d(pixels, [5, 5, 1]);
    const ccw = randomRotation({ degrees: [90, 90] })(x, rng(1));
    expect(maxAbsDiff(ccw, rot90(pixels, 5, 5))).toBeLessThan(1e-5);
    const cw = randomRotation({ degrees: [-90, -90] })(x, rng(1));
    expect(maxAbsDiff(cw, rot90(rot90(rot90(pixels, 5, 5), 5, 5), 5, 5))).toBeLessThan(1e-5);
  });

  it('samples each output pixel at the source point of a rotation about the centre (float64 reference)', () => {
    const h = 7;
    const w = 9;
    const { image } = coordinateBatch(1, h, w);
    const deg = 30;
    const out = randomRotation({ degrees: [deg, deg] })(image, rng(1));
    const got = out.dataSync();
    const t = (deg * Math.PI) / 180;
    const [cy, cx] = [(h - 1) / 2, (w - 1) / 2];
    let checked = 0;
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        // Output (x, y) shows input (cx + cos·dx − sin·dy, cy + sin·dx + cos·dy), d = (x − cx, y − cy).
        const sx = cx + Math.cos(t) * (x - cx) - Math.sin(t) * (y - cy);
        const sy = cy + Math.sin(t) * (x - cx) + Math.cos(t) * (y - cy);
        const p = (y * w + x) * 3;
        if (sx < 0 || sx > w - 1 || sy < 0 || sy > h - 1) continue;
        checked++;
        expect(Math.abs((got[p] as number) - sy)).toBeLessThan(1e-4);
        expect(Math.abs((got[p + 1] as number) - sx)).toBeLessThan(1e-4);
      }
    expect(checked).toBeGreaterThan(30);
  });

  it('keeps the mask aligned with the image in every image of a batch', () => {
    // Also pins the per-image workaround for tfjs-backend-cpu 4.22's Transform kernel, which
    // warps only the first image of a batch: the others would come back empty.
    const { image, mask } = coordinateBatch(3, 10, 12);
    const out = randomRotation({ degrees: 40, maskFillValue: -1 })({ image, mask }, rng(4));
    expect(out.image.shape).toEqual([3, 10, 12, 3]);
    expect(out.mask.shape).toEqual([3, 10, 12]);
    expect(out.mask.dtype).toBe('int32');
    const { checkedFraction, worst } = alignment(out.image, out.mask, 12);
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-4);
    for (const f of checkedFraction) expect(f).toBeGreaterThan(0.4);
    // Each image drew its own angle.
    const first = out.image.slice([0], [1]).dataSync();
    const second = out.image.slice([1], [1]).dataSync();
    expect(maxAbsDiff(out.image.slice([0], [1]), second)).toBeGreaterThan(0.1);
    expect(first.length).toBe(second.length);
  });

  it('fills uncovered pixels by fillMode: constant values, nearest edge, reflection', () => {
    // A 3×3 image rotated 45° reaches outside the input at its corners.
    const x = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9], [3, 3, 1]);
    const m = tf.tensor2d([1, 1, 1, 1, 1, 1, 1, 1, 1], [3, 3], 'int32');
    const corner = (mode: 'constant' | 'nearest' | 'reflect') => {
      const out = randomRotation({ degrees: [45, 45], fillMode: mode, fillValue: -5, maskFillValue: 9 })(
        { image: x, mask: m },
        rng(1),
      );
      return { img: out.image.dataSync()[0] as number, mask: out.mask.dataSync()[0] as number };
    };
    // Output (x, y) = (0, 0) samples the input at (x, y) = (1, 1 − √2): column 1 (values 2, 5, 8),
    // 0.414 rows above the top.
    const s = Math.SQRT2 - 1;
    // constant: bilinear between the fill −5 (row −1, weight s) and 2 (row 0, weight 1 − s).
    expect(corner('constant').img).toBeCloseTo(-5 * s + 2 * (1 - s), 5);
    expect(corner('constant').mask).toBe(1); // nearest rounds row −0.414 to 0: inside
    expect(corner('nearest').img).toBeCloseTo(2, 5); // clamped to row 0
    expect(corner('reflect').img).toBeCloseTo(2, 5); // row −0.414 mirrors back into pixel 0 (dcba|abcd)
    // Shifts by whole pixels pin the modes further out: see randomTranslate's tests.
  });

  it('is reproducible from the generator state and varies with the seed', () => {
    const { image } = coordinateBatch(2, 6, 6);
    const t = randomRotation({ degrees: 180 });
    expect(Array.from(t(image, rng(8)).dataSync())).toEqual(Array.from(t(image, rng(8)).dataSync()));
    expect(maxAbsDiff(t(image, rng(8)), t(image, rng(9)).dataSync())).toBeGreaterThan(0.1);
  });

  it('checks its configuration when made', () => {
    expect(() => randomRotation({ degrees: -3 })).toThrow(
      'randomRotation: degrees expected a number >= 0 or a [min, max] pair of finite numbers with min <= max, got -3',
    );
    expect(() => randomRotation({ degrees: [10, 5] })).toThrow(
      'randomRotation: degrees expected a number >= 0 or a [min, max] pair of finite numbers with min <= max, got [10, 5]',
    );
    expect(() => randomRotation({ degrees: 5, fillMode: 'wrap' as 'reflect' })).toThrow(
      "randomRotation: fillMode expected one of 'constant', 'reflect', 'nearest', got 'wrap'",
    );
    expect(() => randomRotation({ degrees: 5, fillValue: Number.NaN })).toThrow(
      'randomRotation: fillValue expected a finite number, got NaN',
    );
  });

  it('does not leak, single or batch, with or without a mask', async () => {
    const { image, mask } = coordinateBatch(2, 5, 5);
    const single = tf.zeros([5, 5, 1]) as tf.Tensor3D;
    const t = randomRotation({ degrees: 20 });
    await expectNoLeaks(() => t({ image, mask }, rng(1)), 'rotation batch');
    await expectNoLeaks(() => t(single, rng(1)), 'rotation single');
  });
});

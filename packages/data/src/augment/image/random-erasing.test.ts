import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomErasing } from './random-erasing.js';

/** The bounding box of the pixels of one channel-0 plane that satisfy `hit`, and how many there are. */
function box(plane: number[][], hit: (v: number) => boolean): { top: number; left: number; h: number; w: number; count: number } {
  let top = Infinity, left = Infinity, bottom = -1, right = -1, count = 0;
  plane.forEach((row, y) =>
    row.forEach((v, x) => {
      if (!hit(v)) return;
      count++;
      top = Math.min(top, y);
      left = Math.min(left, x);
      bottom = Math.max(bottom, y);
      right = Math.max(right, x);
    }),
  );
  return { top, left, h: bottom - top + 1, w: right - left + 1, count };
}

describe('randomErasing', () => {
  it('erases one solid rectangle per image, with area and ratio in range, inside the image', () => {
    const x = tf.ones([10, 20, 20, 1]) as tf.Tensor4D;
    const out = randomErasing({ p: 1, scale: [0.1, 0.2], ratio: [0.5, 2], value: 0.25 })(x, rng(1));
    const imgs = (out.arraySync() as number[][][][]).map((img) => img.map((row) => row.map((px) => px[0] as number)));
    const sizes = new Set<string>();
    for (const plane of imgs) {
      const b = box(plane, (v) => v === 0.25);
      expect(b.count).toBe(b.h * b.w); // a solid rectangle
      expect(b.count + box(plane, (v) => v === 1).count).toBe(400); // nothing else changed
      // h = round(√(a·r)), w = round(√(a/r)) with a ∈ [40, 80], r ∈ [0.5, 2]: by hand, 4 ≤ h, w ≤ 13.
      expect(b.h * b.w).toBeGreaterThanOrEqual(4 * 7);
      expect(b.h * b.w).toBeLessThanOrEqual(9.5 * 9.5);
      expect(b.h / b.w).toBeGreaterThanOrEqual(0.5 * 0.7);
      expect(b.h / b.w).toBeLessThanOrEqual(2 / 0.7);
      sizes.add(`${b.top},${b.left},${b.h},${b.w}`);
    }
    expect(sizes.size).toBeGreaterThan(5);
  });

  it('leaves images alone with p = 0 and erases about a fraction p of them', () => {
    const x = tf.ones([40, 8, 8, 1]) as tf.Tensor4D;
    expect(Math.min(...randomErasing({ p: 0 })(x, rng(1)).dataSync())).toBe(1);
    const out = randomErasing({ p: 0.5 })(x, rng(2)).arraySync() as number[][][][];
    const erased = out.filter((img) => img.flat(2).some((v) => v !== 1)).length;
    expect(erased).toBeGreaterThan(10);
    expect(erased).toBeLessThan(30);
  });

  it('fills per channel, or with noise, and leaves the mask alone', () => {
    const image = tf.ones([6, 6, 3]) as tf.Tensor3D;
    const mask = tf.ones([6, 6], 'int32');
    const out = randomErasing({ p: 1, scale: [0.2, 0.3], value: [0.1, 0.2, 0.3] })({ image, mask }, rng(3));
    expect(out.mask).toBe(mask);
    const px = (out.image.arraySync() as number[][][]).flat(1).filter((p) => p[0] !== 1);
    expect(px.length).toBeGreaterThan(0);
    for (const p of px) expect(p.map((v) => Math.round(v * 10) / 10)).toEqual([0.1, 0.2, 0.3]);
    const noisy = randomErasing({ p: 1, scale: [0.2, 0.3], value: 'random' })(image, rng(3)).dataSync();
    expect(new Set(Array.from(noisy).filter((v) => v !== 1)).size).toBeGreaterThan(10);
  });

  it('is reproducible and varies with the seed', () => {
    const x = tf.ones([4, 8, 8, 1]) as tf.Tensor4D;
    const t = randomErasing({ p: 1 });
    expect(Array.from(t(x, rng(2)).dataSync())).toEqual(Array.from(t(x, rng(2)).dataSync()));
    expect(Array.from(t(x, rng(2)).dataSync())).not.toEqual(Array.from(t(x, rng(3)).dataSync()));
  });

  it('checks its configuration when made and per-channel values when called', () => {
    expect(() => randomErasing({ value: 'noise' as 'random' })).toThrow(
      "randomErasing: value expected a finite number, a list of per-channel numbers or 'random', got 'noise'",
    );
    expect(() => randomErasing({ scale: [0.5, 0.1] })).toThrow(
      'randomErasing: scale expected a [min, max] pair of numbers in [0, 1] with min <= max, got [0.5, 0.1]',
    );
    expect(() => randomErasing({ p: 1, value: [0, 0] })(tf.ones([8, 8, 3]) as tf.Tensor3D, rng(1))).toThrow(
      'randomErasing: image axis -1 expected 2 channels to match value [0, 0], got shape [8, 8, 3]',
    );
  });

  it('does not leak', async () => {
    const x = tf.ones([3, 8, 8, 1]) as tf.Tensor4D;
    await expectNoLeaks(() => randomErasing({ p: 1, value: 'random' })(x, rng(1)), 'erasing');
  });
});

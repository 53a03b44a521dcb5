import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { cutout } from './cutout.js';

describe('cutout', () => {
  it('blanks a size×size square centred on a drawn pixel, clipped at the border', () => {
    // The centre is drawn as cy = int(h), cx = int(w); the square spans [c − 1, c + 2) for size 3.
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const probe = rng(seed);
      const cy = probe.int(6);
      const cx = probe.int(7);
      const out = cutout({ size: 3 })(tf.ones([6, 7, 1]) as tf.Tensor3D, rng(seed)).arraySync() as number[][][];
      for (let y = 0; y < 6; y++)
        for (let x = 0; x < 7; x++) {
          const inside = y >= cy - 1 && y < cy + 2 && x >= cx - 1 && x < cx + 2;
          expect(out[y]?.[x]?.[0]).toBe(inside ? 0 : 1);
        }
    }
  });

  it('takes a [height, width] size and a fill value, and draws a centre per image', () => {
    const out = cutout({ size: [1, 4], value: 0.5 })(tf.ones([8, 9, 9, 1]) as tf.Tensor4D, rng(2)).arraySync() as number[][][][];
    const holes = out.map((img) => img.flat(2).filter((v) => v === 0.5).length);
    for (const n of holes) {
      expect(n).toBeGreaterThanOrEqual(2); // at least half of the 1×4 hole is inside
      expect(n).toBeLessThanOrEqual(4);
    }
    const where = new Set(out.map((img) => img.flat(2).indexOf(0.5)));
    expect(where.size).toBeGreaterThan(4);
  });

  it('checks its configuration when made', () => {
    expect(() => cutout({ size: 0 })).toThrow('cutout: size expected an integer >= 1 or a [y, x] pair of them, got 0');
    expect(() => cutout({ size: 2, value: Number.NaN })).toThrow(
      "cutout: value expected a finite number, a list of per-channel numbers or 'random', got NaN",
    );
  });

  it('is reproducible and does not leak', async () => {
    const x = tf.ones([3, 8, 8, 3]) as tf.Tensor4D;
    const t = cutout({ size: 4 });
    expect(Array.from(t(x, rng(2)).dataSync())).toEqual(Array.from(t(x, rng(2)).dataSync()));
    await expectNoLeaks(() => t(x, rng(1)), 'cutout');
  });
});

import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomTranslate } from './random-translate.js';
import { alignment, coordinateBatch, maxAbsDiff } from '../internal/testing.js';

/** Shifts a row-major h×w image down by ty and right by tx, filling from `source(y, x)` outside. */
function shifted(a: number[], h: number, w: number, ty: number, tx: number, outside: (y: number, x: number) => number): number[] {
  const out: number[] = [];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const sy = y - ty;
      const sx = x - tx;
      out.push(sy >= 0 && sy < h && sx >= 0 && sx < w ? (a[sy * w + sx] as number) : outside(sy, sx));
    }
  return out;
}

describe('randomTranslate', () => {
  const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]; // 3×4

  it('moves pixels by a whole-pixel shift drawn in [-max, max] per axis', () => {
    // The shift is drawn as ty = int(2·1 + 1) − 1, then tx = int(2·2 + 1) − 2.
    for (const seed of [1, 2, 3, 4, 5]) {
      const probe = rng(seed);
      const ty = probe.int(3) - 1;
      const tx = probe.int(5) - 2;
      const out = randomTranslate({ max: [1, 2], fillValue: -1 })(tf.tensor3d(a, [3, 4, 1]), rng(seed));
      expect(Array.from(out.dataSync())).toEqual(shifted(a, 3, 4, ty, tx, () => -1));
    }
  });

  it('fills by mode: constant, nearest edge (aaaa|abcd), reflection (dcba|abcd)', () => {
    // Find a seed whose shift is (0, +2), so columns −2 and −1 show up at the left.
    let seed = 0;
    for (;;) {
      const probe = rng(++seed);
      if (probe.int(1) === 0 && probe.int(5) - 2 === 2) break;
    }
    const x = tf.tensor3d([1, 2, 3, 4], [1, 4, 1]);
    const run = (fillMode: 'constant' | 'nearest' | 'reflect') =>
      Array.from(randomTranslate({ max: [0, 2], fillMode, fillValue: 9 })(x, rng(seed)).dataSync());
    expect(run('constant')).toEqual([9, 9, 1, 2]);
    expect(run('nearest')).toEqual([1, 1, 1, 2]);
    expect(run('reflect')).toEqual([2, 1, 1, 2]);
  });

  it('draws real-valued shifts with integer: false, and keeps the mask aligned', () => {
    const { image, mask } = coordinateBatch(4, 8, 8);
    const out = randomTranslate({ max: 2.5, integer: false, maskFillValue: -1 })({ image, mask }, rng(2));
    const { checkedFraction, worst } = alignment(out.image, out.mask, 8);
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-4);
    for (const f of checkedFraction) expect(f).toBeGreaterThan(0.3);
    const frac = Array.from(out.image.dataSync()).filter((v, i) => i % 3 !== 2 && Math.abs(v - Math.round(v)) > 1e-3);
    expect(frac.length).toBeGreaterThan(0); // sub-pixel positions occur
  });

  it('is reproducible and varies with the seed', () => {
    const { image } = coordinateBatch(3, 6, 6);
    const t = randomTranslate({ max: 2 });
    expect(Array.from(t(image, rng(3)).dataSync())).toEqual(Array.from(t(image, rng(3)).dataSync()));
    expect(maxAbsDiff(t(image, rng(3)), t(image, rng(4)).dataSync())).toBeGreaterThan(0);
  });

  it('checks its configuration when made', () => {
    expect(() => randomTranslate({ max: -1 })).toThrow(
      'randomTranslate: max expected a number >= 0 or a [y, x] pair of them, got -1',
    );
    expect(() => randomTranslate({ max: [1, 2, 3] as unknown as [number, number] })).toThrow(
      'randomTranslate: max expected a number >= 0 or a [y, x] pair of them, got [1, 2, 3]',
    );
  });

  it('does not leak', async () => {
    const { image, mask } = coordinateBatch(2, 4, 4);
    await expectNoLeaks(() => randomTranslate({ max: 1 })({ image, mask }, rng(1)), 'translate');
  });
});

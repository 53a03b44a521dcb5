import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomZoom } from './random-zoom.js';
import { alignment, coordinateBatch, maxAbsDiff } from '../internal/testing.js';

describe('randomZoom', () => {
  it('zooms in 2× about the centre: output x samples 1.5 + (x − 1.5)/2 (bilinear, by hand)', () => {
    // Each row of the 4×4 image is the ramp 0, 1, 2, 3, so the value is the sampled column.
    const ramp = tf.tensor3d(Array.from({ length: 16 }, (_, i) => i % 4), [4, 4, 1]);
    const out = randomZoom({ scale: [2, 2] })(ramp, rng(1));
    const row = [0.75, 1.25, 1.75, 2.25];
    expect(maxAbsDiff(out, [...row, ...row, ...row, ...row])).toBeLessThan(1e-6);
  });

  it('zooms out 2× and fills the border: output x samples 1.5 + 2(x − 1.5)', () => {
    // Columns sampled: −1.5 (fill), 0.5, 2.5, 4.5 (fill); rows likewise.
    const ramp = tf.tensor3d(Array.from({ length: 16 }, (_, i) => i % 4), [4, 4, 1]);
    const out = randomZoom({ scale: [0.5, 0.5], fillValue: -1 })(ramp, rng(1)).dataSync();
    expect(Array.from(out)).toEqual([-1, -1, -1, -1, -1, 0.5, 2.5, -1, -1, 0.5, 2.5, -1, -1, -1, -1, -1]);
  });

  it('draws independent height and width factors with independent: true', () => {
    const { image } = coordinateBatch(1, 9, 9);
    const out = randomZoom({ scale: [0.5, 2], independent: true })(image, rng(3)).arraySync() as number[][][][];
    // Row and column steps between neighbours in the centre are 1/sy and 1/sx.
    const img = out[0] as number[][][];
    const stepY = (img[5]?.[4]?.[0] as number) - (img[4]?.[4]?.[0] as number);
    const stepX = (img[4]?.[5]?.[1] as number) - (img[4]?.[4]?.[1] as number);
    expect(Math.abs(stepY - stepX)).toBeGreaterThan(1e-3);
  });

  it('keeps the mask aligned in each image of a batch', () => {
    const { image, mask } = coordinateBatch(3, 10, 10);
    const out = randomZoom({ scale: 0.3, maskFillValue: -1 })({ image, mask }, rng(5));
    const { checkedFraction, worst } = alignment(out.image, out.mask, 10);
    expect(worst).toBeLessThanOrEqual(0.5 + 1e-4);
    for (const f of checkedFraction) expect(f).toBeGreaterThan(0.4);
  });

  it('is reproducible and varies with the seed', () => {
    const { image } = coordinateBatch(2, 6, 6);
    const t = randomZoom({ scale: 0.2 });
    expect(Array.from(t(image, rng(3)).dataSync())).toEqual(Array.from(t(image, rng(3)).dataSync()));
    expect(maxAbsDiff(t(image, rng(3)), t(image, rng(4)).dataSync())).toBeGreaterThan(0);
  });

  it('checks its configuration when made', () => {
    expect(() => randomZoom({ scale: 1.2 })).toThrow(
      'randomZoom: scale expected a number in [0, 1) or a [min, max] pair of numbers >= 0 with min <= max, got 1.2',
    );
    expect(() => randomZoom({ scale: [0, 1] })).toThrow('randomZoom: scale expected factors > 0, got a range starting at 0');
  });

  it('does not leak', async () => {
    const { image, mask } = coordinateBatch(2, 4, 4);
    await expectNoLeaks(() => randomZoom({ scale: 0.1 })({ image, mask }, rng(1)), 'zoom');
  });
});

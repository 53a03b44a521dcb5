import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { randomGamma } from './random-gamma.js';
import { maxAbsDiff } from '../internal/testing.js';

describe('randomGamma', () => {
  it.each([
    ['grey', [2, 2, 1]],
    ['RGB', [1, 1, 3]],
  ])('computes gain · x^γ on a %s image (γ = 2: 0.5 → 0.25, by hand)', (_, shape) => {
    const pixels = [0.5, 0.1, 0.9, 0].slice(0, (shape as number[]).reduce((a, b) => a * b));
    const out = randomGamma({ gamma: [2, 2] })(tf.tensor3d(pixels, shape as [number, number, number]), rng(1));
    expect(maxAbsDiff(out, pixels.map((v) => v * v))).toBeLessThan(1e-6);
  });

  it('applies the gain after the power, treats negatives as 0, and clips', () => {
    const x = tf.tensor3d([0.25, -0.5, 1], [1, 3, 1]);
    const out = randomGamma({ gamma: [0.5, 0.5], gain: 1.5 })(x, rng(1));
    expect(maxAbsDiff(out, [0.75, 0, 1])).toBeLessThan(1e-6); // 1.5·√0.25, 0, min(1.5, 1)
  });

  it('draws γ per image within the range', () => {
    const x = tf.fill([6, 1, 1, 1], 0.5) as tf.Tensor4D;
    const out = Array.from(randomGamma({ gamma: [0.5, 2] })(x, rng(4)).dataSync());
    expect(new Set(out).size).toBe(6);
    for (const v of out) {
      expect(v).toBeGreaterThanOrEqual(0.25 - 1e-6); // 0.5²
      expect(v).toBeLessThanOrEqual(Math.SQRT1_2 + 1e-6); // 0.5^0.5
    }
  });

  it('checks its configuration when made', () => {
    expect(() => randomGamma({ gamma: [0, 1] })).toThrow(
      'randomGamma: gamma expected a [min, max] pair of numbers > 0 with min <= max, got [0, 1]',
    );
  });

  it('does not leak', async () => {
    const x = tf.fill([2, 2, 2, 3], 0.5) as tf.Tensor4D;
    await expectNoLeaks(() => randomGamma({ gamma: [0.8, 1.2] })(x, rng(1)), 'gamma');
  });
});

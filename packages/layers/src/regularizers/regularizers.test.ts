import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, tf } from '@tensorloom/core';
import { l1, l1l2, l2, maxNorm, nonNeg, unitNorm } from '@tensorloom/layers';

const w = tf.tensor2d([[3, -1], [-4, 0.5]]);

describe('regularizers', () => {
  it('compute the Keras penalties (hand computed)', () => {
    expect(l1(0.1)(w).dataSync()[0]).toBeCloseTo(0.1 * (3 + 1 + 4 + 0.5), 5);
    expect(l2(0.01)(w).dataSync()[0]).toBeCloseTo(0.01 * (9 + 1 + 16 + 0.25), 5);
    expect(l1l2({ l1: 0.1, l2: 0.01 })(w).dataSync()[0]).toBeCloseTo(0.85 + 0.2625, 5);
    expect(l1l2({})(w).dataSync()[0]).toBe(0);
  });

  it('have the expected gradients: l1·sign(w) and 2·l2·w', () => {
    expect(Array.from(tf.grad((x: tf.Tensor) => l1(0.5)(x))(w).dataSync())).toEqual([0.5, -0.5, -0.5, 0.5]);
    const g = Array.from(tf.grad((x: tf.Tensor) => l2(0.5)(x))(w).dataSync());
    [3, -1, -4, 0.5].forEach((v, i) => expect(g[i]).toBeCloseTo(v, 5));
  });

  it('reject negative factors', () => {
    expect(() => l2(-1)).toThrowError(new ConfigError('l2: factor expected a finite number >= 0, got -1'));
    expect(() => l1l2({ l1: Number.NaN })).toThrowError('l1l2: factor expected a finite number >= 0, got NaN');
  });
});

describe('constraints', () => {
  it('maxNorm rescales columns above the limit only (norm over all axes but the last)', () => {
    // column norms: √(9+16) = 5 and √(1+0.25) ≈ 1.118
    const c = maxNorm(2)(w).arraySync() as number[][];
    expect(c[0]![0]).toBeCloseTo(1.2, 5);
    expect(c[1]![0]).toBeCloseTo(-1.6, 5);
    expect(c[0]![1]).toBeCloseTo(-1, 5);
    expect(c[1]![1]).toBeCloseTo(0.5, 5);
    const rows = maxNorm(1, 1)(w).arraySync() as number[][];
    expect(Math.hypot(...rows[0]!)).toBeCloseTo(1, 5);
  });

  it('unitNorm gives unit columns; nonNeg clamps at zero', () => {
    const u = unitNorm()(w);
    const norms = tf.sqrt(tf.sum(tf.square(u), 0)).dataSync();
    expect(norms[0]).toBeCloseTo(1, 5);
    expect(norms[1]).toBeCloseTo(1, 5);
    expect(nonNeg()(w).arraySync()).toEqual([[3, 0], [0, 0.5]]);
    expect(() => maxNorm(0)).toThrowError('maxNorm: max expected > 0, got 0');
  });

  it('do not leak', async () => {
    await expectNoLeaks(() => {
      for (const c of [maxNorm(1), unitNorm(), nonNeg()]) c(w).dispose();
      for (const r of [l1(), l2(), l1l2({ l1: 1, l2: 1 })]) r(w).dispose();
    });
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { AlphaDropout, GaussianDropout, GaussianNoise, SpatialDropout1D, SpatialDropout2D } from '@tensorloom/layers';

const moments = (v: ArrayLike<number>) => {
  const a = Array.from(v);
  const mean = a.reduce((s, x) => s + x, 0) / a.length;
  return { mean, variance: a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length };
};

describe('SpatialDropout, GaussianNoise, GaussianDropout, AlphaDropout', () => {
  it('are the identity at inference and keep shapes', () => {
    const x = rng(1).normalTensor([2, 3, 3, 4]);
    for (const layer of [new SpatialDropout2D({ rate: 0.5 }), new GaussianNoise({ stddev: 1 }), new GaussianDropout({ rate: 0.5 }), new AlphaDropout({ rate: 0.5 })]) {
      expect(layer.apply(x).arraySync()).toEqual(x.arraySync());
      expect(layer.outputShape([null, 3, 3, 4])).toEqual([null, 3, 3, 4]);
    }
  });

  it('SpatialDropout drops whole channels, scaled by 1/(1−rate)', () => {
    const y2 = new SpatialDropout2D({ rate: 0.5 }).build([null, 3, 3, 16], rng(2)).apply(tf.ones([2, 3, 3, 16]), { training: true });
    const v = y2.arraySync() as number[][][][];
    for (const ex of v) for (const row of ex) for (const px of row) expect(px).toEqual(ex[0]![0]);
    expect(new Set(y2.dataSync())).toEqual(new Set([0, 2]));
    const y1 = new SpatialDropout1D({ rate: 0.5 }).build([null, 5, 8], rng(3)).apply(tf.ones([2, 5, 8]), { training: true }).arraySync() as number[][][];
    for (const ex of y1) for (const step of ex) expect(step).toEqual(ex[0]);
  });

  it('GaussianNoise adds N(0, σ²); GaussianDropout multiplies by N(1, p/(1−p))', () => {
    const n = 20000;
    const noisy = moments(new GaussianNoise({ stddev: 0.5 }).build([null, n], rng(4)).apply(tf.fill([1, n], 3), { training: true }).dataSync());
    expect(noisy.mean).toBeCloseTo(3, 1);
    expect(Math.abs(noisy.variance - 0.25)).toBeLessThan(0.02);
    const gd = moments(new GaussianDropout({ rate: 0.2 }).build([null, n], rng(5)).apply(tf.fill([1, n], 2), { training: true }).dataSync());
    expect(gd.mean).toBeCloseTo(2, 1);
    expect(Math.abs(gd.variance - 4 * 0.25)).toBeLessThan(0.06);
  });

  it('AlphaDropout keeps zero mean and unit variance of standard-normal inputs (Klambauer et al.)', () => {
    const n = 40000;
    const x = rng(6).normalTensor([1, n]);
    const y = new AlphaDropout({ rate: 0.3 }).build([null, n], rng(7)).apply(x, { training: true }).dataSync();
    const { mean, variance } = moments(y);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    // Dropped units all take the same value a·α' + b.
    const p = 0.3;
    const alpha = -1.7580993408473766;
    const a = ((1 - p) * (1 + p * alpha ** 2)) ** -0.5;
    const dropped = Math.fround(a * alpha + -a * alpha * p);
    const share = Array.from(y).filter((v) => Math.abs(v - dropped) < 1e-6).length / n;
    expect(Math.abs(share - p)).toBeLessThan(0.02);
  });

  it('are seeded by the build Rng', () => {
    const run = (seed: number) => Array.from(new GaussianNoise({ stddev: 1 }).build([null, 4], rng(seed)).apply(tf.zeros([1, 4]), { training: true }).dataSync());
    expect(run(8)).toEqual(run(8));
    expect(run(8)).not.toEqual(run(9));
  });

  it('report bad config and inputs; do not leak', async () => {
    expect(() => new GaussianNoise({ stddev: -1, name: 'gn' })).toThrowError(new ConfigError("GaussianNoise 'gn': stddev expected a number >= 0, got -1"));
    expect(() => new AlphaDropout({ rate: 1, name: 'ad' })).toThrowError("AlphaDropout 'ad': rate expected a number in [0, 1), got 1");
    expect(() => new SpatialDropout2D({ rate: 0.1, name: 'sd' }).apply(tf.zeros([2, 3]))).toThrowError(
      new ShapeError("SpatialDropout2D 'sd': input must be rank 4 [batch, h, w, channels], got [2, 3]"),
    );
    const x = tf.ones([2, 3, 3, 2]);
    await expectNoLeaks(() => {
      for (const layer of [new SpatialDropout2D({ rate: 0.5 }), new GaussianNoise({ stddev: 1 }), new GaussianDropout({ rate: 0.5 }), new AlphaDropout({ rate: 0.5 })]) {
        layer.apply(x, { training: true }).dispose();
        tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t, { training: true })))(x).dispose();
      }
    });
  });
});

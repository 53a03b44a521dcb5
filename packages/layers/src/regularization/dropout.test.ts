import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Dropout, dropout } from '@tensorloom/layers';

describe('Dropout', () => {
  it('is the identity at inference and keeps the shape', () => {
    const layer = new Dropout({ rate: 0.5 });
    const x = rng(1).normalTensor([3, 4]);
    expect(layer.apply(x).arraySync()).toEqual(x.arraySync());
    expect(layer.outputShape([null, 4])).toEqual([null, 4]);
  });

  it('zeroes about `rate` of the units and scales the rest by 1/(1-rate)', () => {
    const layer = new Dropout({ rate: 0.25 }).build([null, 1000], rng(2));
    const y = layer.apply(tf.ones([4, 1000]), { training: true }).dataSync();
    const zeros = y.filter((v) => v === 0).length;
    expect(Math.abs(zeros / y.length - 0.25)).toBeLessThan(0.03);
    expect(new Set(y.filter((v) => v !== 0))).toEqual(new Set([Math.fround(1 / 0.75)]));
  });

  it('is seeded: same seed same masks, successive calls differ', () => {
    const run = (seed: number) => {
      const layer = new Dropout({ rate: 0.5 }).build([null, 16], rng(seed));
      return [0, 1].map(() => Array.from(layer.apply(tf.ones([1, 16]), { training: true }).dataSync()));
    };
    const [a1, a2] = run(3);
    const [b1] = run(3);
    expect(a1).toEqual(b1);
    expect(a1).not.toEqual(a2);
  });

  it('broadcasts a noise shape (one mask per channel)', () => {
    const layer = new Dropout({ rate: 0.5, noiseShape: [null, 1, null] }).build([null, 5, 8], rng(4));
    const y = layer.apply(tf.ones([2, 5, 8]), { training: true }).arraySync() as number[][][];
    for (const sample of y) for (const row of sample) expect(row).toEqual(sample[0]);
  });

  it('passes gradients through kept units only', () => {
    const x = tf.ones([1, 64]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(dropout(t, 0.5, rng(5))))(x).dataSync();
    const y = dropout(x, 0.5, rng(5)).dataSync();
    // d/dx of Σ mask·x/(1-p) is mask/(1-p): exactly the forward values for x = 1.
    expect(Array.from(g)).toEqual(Array.from(y));
  });

  it('rejects bad rates and does not leak', async () => {
    expect(() => new Dropout({ rate: 1, name: 'drop1' })).toThrowError(new ConfigError("Dropout 'drop1': rate expected a number in [0, 1), got 1"));
    const layer = new Dropout({ rate: 0.3 }).build([null, 4]);
    const x = tf.ones([2, 4]);
    await expectNoLeaks(() => layer.apply(x, { training: true }).dispose());
    await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t, { training: true })))(x).dispose());
  });
});

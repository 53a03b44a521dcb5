import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { ConvAutoencoder, DenseAutoencoder, corrupt, denoisingAutoencoder, sparseAutoencoder, sparsityPenalty } from '../index.js';
import { adamSteps } from '../transfer/internal/testing.js';

const mse = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.tidy(() => tf.mean(tf.square(tf.sub(a, b))) as tf.Scalar);

describe('autoencoders', () => {
  it('parameter counts equal the closed form; shapes; encode/decode on their own', async () => {
    const dense = new DenseAutoencoder().build([null, 784], rng(1));
    expect(dense.countParams().trainable).toBe(784 * 128 + 128 + 128 * 32 + 32 + 32 * 128 + 128 + 128 * 784 + 784);
    expect(dense.countParams().trainable).toBe(209_968);
    dense.dispose();
    expect(new ConvAutoencoder().parameterShapes([null, 28, 28, 1])).toBeDefined();
    const conv = new ConvAutoencoder().build([null, 28, 28, 1], rng(1));
    expect(conv.countParams().trainable).toBe(9 * 16 + 16 + 9 * 16 * 32 + 32 + 9 * 32 * 32 + 32 + 9 * 32 * 16 + 16 + 9 * 16 + 1);
    expect(conv.countParams().trainable).toBe(18_817);
    const x = tf.ones([1, 28, 28, 1]);
    const code = await expectNoLeaks(() => conv.encode(x), 'encode');
    expect(code.shape).toEqual([1, 7, 7, 32]);
    const back = await expectNoLeaks(() => conv.decode(code), 'decode');
    expect(back.shape).toEqual([1, 28, 28, 1]);
    const y = await expectNoLeaks(() => conv.apply(x, { training: true }), 'apply');
    expect(y.shape).toEqual([1, 28, 28, 1]);
    tf.dispose([x, code, back, y]);
    conv.dispose();
    const small = new ConvAutoencoder({ inputShape: [8, 12, 3], filters: [4] }).build([null, 8, 12, 3], rng(2));
    const out = small.run(tf.zeros([2, 8, 12, 3]));
    expect(out.reconstruction.shape).toEqual([2, 8, 12, 3]);
    expect(out.code.shape).toEqual([2, 4, 6, 4]);
    expect(out.auxiliaryLoss.dataSync()[0]).toBe(0);
    tf.dispose([out.reconstruction, out.code, out.auxiliaryLoss]);
    small.dispose();
  });

  it('corruption: masking zeroes about `rate` of the inputs without rescaling; gaussian adds noise; off at inference', () => {
    const x = tf.ones([100, 50]);
    const masked = corrupt(x, { type: 'masking', rate: 0.3 }, rng(1));
    const values = Array.from(masked.dataSync());
    expect(new Set(values)).toEqual(new Set([0, 1]));
    expect(values.filter((v) => v === 0).length / values.length).toBeGreaterThan(0.27);
    expect(values.filter((v) => v === 0).length / values.length).toBeLessThan(0.33);
    const noisy = corrupt(x, { type: 'gaussian', stddev: 0.5 }, rng(2));
    const diff = tf.sub(noisy, x);
    const { mean, variance } = tf.moments(diff);
    expect(Math.abs(mean.dataSync()[0]!)).toBeLessThan(0.03);
    expect(Math.sqrt(variance.dataSync()[0]!)).toBeCloseTo(0.5, 1);
    // The DAE reconstructs the same input identically at inference, differently (noise) in training.
    const dae = denoisingAutoencoder({ inputDim: 50, hiddenSizes: [], latentDim: 8 }).build([null, 50], rng(3));
    const a = dae.apply(x);
    const b = dae.apply(x);
    const t = dae.apply(x, { training: true });
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(t.dataSync())).not.toEqual(Array.from(a.dataSync()));
    tf.dispose([x, masked, noisy, diff, mean, variance, a, b, t]);
    dae.dispose();
  });

  it('sparsity penalties equal the hand-computed values; the KL gradient matches finite differences', () => {
    const h = [
      [0.1, 0.5, 0.9],
      [0.3, 0.2, 0.7],
    ];
    const code = tf.tensor2d(h);
    const l1 = sparsityPenalty(code, { type: 'l1', weight: 0.5 });
    expect(l1.dataSync()[0]).toBeCloseTo(0.5 * ((0.1 + 0.5 + 0.9 + 0.3 + 0.2 + 0.7) / 2), 6);
    const klRef = (rows: number[][], rho: number): number => {
      let s = 0;
      for (let j = 0; j < rows[0]!.length; j++) {
        const r = rows.reduce((a, row) => a + row[j]!, 0) / rows.length;
        s += rho * Math.log(rho / r) + (1 - rho) * Math.log((1 - rho) / (1 - r));
      }
      return s;
    };
    const kl = sparsityPenalty(code, { type: 'kl', target: 0.05, weight: 2 });
    expect(kl.dataSync()[0]).toBeCloseTo(2 * klRef(h, 0.05), 4);
    const grad = tf.grad((c: tf.Tensor) => sparsityPenalty(c, { type: 'kl', target: 0.05, weight: 2 }))(code);
    const g = grad.arraySync() as number[][];
    const eps = 1e-4;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const plus = h.map((row) => [...row]);
        const minus = h.map((row) => [...row]);
        plus[i]![j]! += eps;
        minus[i]![j]! -= eps;
        expect(g[i]![j]!).toBeCloseTo((2 * klRef(plus, 0.05) - 2 * klRef(minus, 0.05)) / (2 * eps), 2);
      }
    }
    tf.dispose([code, l1, kl, grad]);
  });

  it('checks its configuration', () => {
    expect(() => new DenseAutoencoder({ latentDim: 0 })).toThrow(new ConfigError("DenseAutoencoder 'dense_autoencoder': latentDim expected a positive integer, got 0"));
    expect(() => new DenseAutoencoder({ corruption: { type: 'masking', rate: 1 } })).toThrow(
      new ConfigError("DenseAutoencoder 'dense_autoencoder': corruption.rate expected a number in [0, 1), got 1"),
    );
    expect(() => sparseAutoencoder({ codeActivation: 'relu' })).toThrow(
      new ConfigError("DenseAutoencoder 'sparse_autoencoder': codeActivation expected 'sigmoid' with a KL sparsity penalty, got 'relu'"),
    );
    expect(() => new DenseAutoencoder({ sparsity: { type: 'kl', target: 1.5, weight: 1 } })).toThrow(/sparsity.target expected a number in \(0, 1\), got 1.5/);
    expect(() => new ConvAutoencoder({ inputShape: [30, 28, 1] })).toThrow(
      new ConfigError("ConvAutoencoder 'conv_autoencoder': inputShape expected height and width divisible by 4 (2^filters.length), got [30, 28, 1]"),
    );
    expect(() => new DenseAutoencoder({ outputActivation: 'sigmod' as never })).toThrow(/^DenseAutoencoder 'dense_autoencoder': outputActivation expected one of linear, .*, got 'sigmod'$/);
    expect(() => new ConvAutoencoder({ inputShape: [28, 28] })).toThrow(/inputShape expected \[height, width, channels\] of positive integers, got \[28, 28\]/);
  });

  it('overfit a tiny batch: dense, denoising, sparse and conv', () => {
    // 8 random inputs in [0, 1]: the reconstruction MSE of a fresh model is ≈ 0.1 (sigmoid
    // outputs near 0.5 against uniform targets, variance 1/12 plus bias); a few dozen Adam steps
    // must bring it under a third of that. For the sparse model the penalty must fall too.
    const x = rng(10).uniformTensor([8, 16]);
    const models = [
      new DenseAutoencoder({ inputDim: 16, hiddenSizes: [32], latentDim: 8 }),
      denoisingAutoencoder({ inputDim: 16, hiddenSizes: [32], latentDim: 8, corruption: { type: 'gaussian', stddev: 0.05 } }),
      sparseAutoencoder({ inputDim: 16, hiddenSizes: [32], latentDim: 8, sparsity: { type: 'kl', target: 0.2, weight: 0.05 } }),
    ];
    for (const m of models) {
      m.build([null, 16], rng(11));
      const losses = adamSteps([m], () => {
        const out = m.run(x, { training: true });
        return tf.add(mse(out.reconstruction, x), out.auxiliaryLoss) as tf.Scalar;
      }, 60, 0.02);
      expect(losses.at(-1)!).toBeLessThan(losses[0]! / 3);
      m.dispose();
    }
    const img = rng(12).uniformTensor([2, 8, 8, 1]);
    const conv = new ConvAutoencoder({ inputShape: [8, 8, 1], filters: [4, 8] }).build([null, 8, 8, 1], rng(13));
    const losses = adamSteps([conv], () => mse(conv.apply(img, { training: true }), img), 30, 0.02);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! / 3);
    tf.dispose([x, img]);
    conv.dispose();
  });
});

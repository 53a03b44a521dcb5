import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { VariationalAutoencoder, klDivergence, reparameterize } from '../index.js';
import { adamSteps, trainableCount } from '../transfer/internal/testing.js';

/** Mean over the batch of the summed binary cross-entropy (the Bernoulli negative log-likelihood). */
function bce(x: tf.Tensor, p: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const q = tf.clipByValue(p, 1e-6, 1 - 1e-6);
    return tf.neg(tf.mean(tf.sum(tf.add(tf.mul(x, tf.log(q)), tf.mul(tf.sub(1, x), tf.log(tf.sub(1, q)))), -1))) as tf.Scalar;
  });
}

describe('VariationalAutoencoder', () => {
  it('has the closed-form parameter count; shapes of run, encode, decode, sample', async () => {
    // encoder 784·256+256, mean and logVar heads 2·(256·16+16), decoder 16·256+256 + 256·784+784.
    expect(trainableCount(new VariationalAutoencoder().parameterShapes([null, 784]))).toBe(784 * 256 + 256 + 2 * (256 * 16 + 16) + 16 * 256 + 256 + 256 * 784 + 784);
    expect(trainableCount(new VariationalAutoencoder().parameterShapes([null, 784]))).toBe(415_024);
    const vae = new VariationalAutoencoder({ inputDim: 12, hiddenSizes: [8, 6], latentDim: 3 }).build([null, 12], rng(1));
    const x = tf.ones([1, 12]);
    const out = await expectNoLeaks(() => vae.run(x, { training: true }), 'run');
    expect(out.reconstruction.shape).toEqual([1, 12]);
    expect(out.mean.shape).toEqual([1, 3]);
    expect(out.logVar.shape).toEqual([1, 3]);
    expect(out.z.shape).toEqual([1, 3]);
    expect(out.kl.shape).toEqual([]);
    const s = await expectNoLeaks(() => vae.sample(5, rng(2)), 'sample');
    expect(s.shape).toEqual([5, 12]);
    const s2 = vae.sample(5, rng(2));
    expect(Array.from(s.dataSync())).toEqual(Array.from(s2.dataSync()));
    // Inference decodes the mean: apply == decode(encode(x).mean).
    const { mean, logVar } = vae.encode(x);
    const viaMean = vae.decode(mean);
    const y = vae.apply(x);
    expect(Array.from(y.dataSync())).toEqual(Array.from(viaMean.dataSync()));
    expect(() => vae.run(tf.ones([2, 5]))).toThrow(new ShapeError("VariationalAutoencoder 'vae': input expected [batch, 12], got [2, 5]"));
    tf.dispose([x, out.reconstruction, out.mean, out.logVar, out.z, out.kl, s, s2, mean, logVar, viaMean, y]);
    vae.dispose();
  });

  it('KL term and reparameterisation against hand computation and finite differences', () => {
    const m = [[0.5, -1], [0, 2]];
    const lv = [[0.2, -0.3], [1, 0]];
    let ref = 0;
    for (let b = 0; b < 2; b++) for (let j = 0; j < 2; j++) ref += -0.5 * (1 + lv[b]![j]! - m[b]![j]! ** 2 - Math.exp(lv[b]![j]!));
    ref /= 2;
    const mean = tf.tensor2d(m);
    const logVar = tf.tensor2d(lv);
    const kl = klDivergence(mean, logVar);
    expect(kl.dataSync()[0]).toBeCloseTo(ref, 5);
    // d KL / d mean = mean / batch; d KL / d logVar = (exp(logVar) − 1) / (2·batch).
    const [gm, gl] = tf.grads((a: tf.Tensor, b: tf.Tensor) => klDivergence(a, b))([mean, logVar]);
    expect(Array.from(gm!.dataSync()).map((v) => +v.toFixed(5))).toEqual(m.flat().map((v) => +(v / 2).toFixed(5)));
    Array.from(gl!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo((Math.exp(lv.flat()[i]!) - 1) / 4, 5));
    // z = mean + exp(logVar/2)·ε with ε from the rng: the same rng gives the same ε.
    const z = reparameterize(mean, logVar, rng(7));
    const eps = rng(7).normalTensor([2, 2]);
    const expected = m.flat().map((v, i) => v + Math.exp(lv.flat()[i]! / 2) * eps.dataSync()[i]!);
    Array.from(z.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    tf.dispose([mean, logVar, kl, gm!, gl!, z, eps]);
  });

  it('checks its configuration', () => {
    expect(() => new VariationalAutoencoder({ latentDim: 1.5 })).toThrow(new ConfigError("VariationalAutoencoder 'vae': latentDim expected a positive integer, got 1.5"));
    expect(() => new VariationalAutoencoder({ hiddenSizes: [] })).toThrow(new ConfigError("VariationalAutoencoder 'vae': hiddenSizes expected a non-empty list of positive integers, got []"));
    const vae = new VariationalAutoencoder({ inputDim: 4, hiddenSizes: [4], latentDim: 2 }).build([null, 4], rng(1));
    expect(() => vae.sample(0, rng(1))).toThrow(new ConfigError("VariationalAutoencoder 'vae': sample n expected a positive integer, got 0"));
    vae.dispose();
  });

  it('overfits a tiny batch: the negative ELBO falls', () => {
    // 8 binary 16-pixel patterns. A fresh VAE's negative ELBO is ≈ 16·ln 2 ≈ 11 nats (outputs
    // ≈ 0.5); 80 Adam steps must bring it below 6 — memorising 8 patterns while keeping the KL
    // small, which needs the reparameterised gradient to reach the encoder.
    const x = tf.tidy(() => tf.cast(tf.greater(rng(20).uniformTensor([8, 16]), 0.5), 'float32'));
    const vae = new VariationalAutoencoder({ inputDim: 16, hiddenSizes: [32], latentDim: 4 }).build([null, 16], rng(21));
    const losses = adamSteps([vae], () => {
      const out = vae.run(x, { training: true });
      return tf.add(bce(x, out.reconstruction), out.kl) as tf.Scalar;
    }, 80, 0.02);
    expect(losses[0]!).toBeGreaterThan(10);
    expect(losses.at(-1)!).toBeLessThan(6);
    x.dispose();
    vae.dispose();
  });
});

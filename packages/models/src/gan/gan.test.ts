import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import type { Module } from '@tensorloom/layers';
import { DCGANDiscriminator, DCGANGenerator, dcgan, mlpGan } from '../index.js';
import { adamSteps, trainableCount } from '../transfer/internal/testing.js';

/** The non-saturating GAN losses of Goodfellow et al. 2014 on discriminator logits. */
const bce = (logits: tf.Tensor, target: 0 | 1): tf.Scalar =>
  tf.tidy(() => tf.losses.sigmoidCrossEntropy(target === 1 ? tf.onesLike(logits) : tf.zerosLike(logits), logits) as tf.Scalar);

describe('GANs', () => {
  it('DCGAN parameter counts equal the closed form for 28×28×1 and 32×32×3', () => {
    const g28 = trainableCount(new DCGANGenerator().parameterShapes([null, 100]));
    // Dense z → 7·7·128 (no bias), batch norm per projected feature, deconv 128 → 64, BN, deconv 64 → 1 with bias.
    expect(g28).toBe(100 * 7 * 7 * 128 + 2 * 7 * 7 * 128 + 16 * 128 * 64 + 2 * 64 + 16 * 64 * 1 + 1);
    expect(g28).toBe(771_969);
    const d28 = trainableCount(new DCGANDiscriminator().parameterShapes([null, 28, 28, 1]));
    expect(d28).toBe(4 * 4 * 1 * 64 + 64 + 4 * 4 * 64 * 128 + 2 * 128 + 7 * 7 * 128 + 1);
    expect(d28).toBe(138_689);
    const g32 = trainableCount(new DCGANGenerator({ imageShape: [32, 32, 3], baseFilters: 8, latentDim: 10 }).parameterShapes([null, 10]));
    expect(g32).toBe(10 * 16 * 32 + 2 * 16 * 32 + 16 * 32 * 16 + 32 + 16 * 16 * 8 + 16 + 16 * 8 * 3 + 3);
    const d32 = trainableCount(new DCGANDiscriminator({ imageShape: [32, 32, 3], baseFilters: 8 }).parameterShapes([null, 32, 32, 3]));
    expect(d32).toBe(16 * 3 * 8 + 8 + 16 * 8 * 16 + 32 + 16 * 16 * 32 + 64 + 4 * 4 * 32 + 1);
    const { generator, discriminator } = mlpGan();
    expect(trainableCount(generator.parameterShapes([null, 100]))).toBe(247_440);
    expect(trainableCount(discriminator.parameterShapes([null, 784]))).toBe(233_985);
  });

  it('shapes: sample(n, rng) is reproducible, in [−1, 1]; discriminator gives one logit', async () => {
    for (const shape of [[28, 28, 1], [32, 32, 3]] as const) {
      const { generator: g, discriminator: d } = dcgan({ imageShape: shape, baseFilters: 4, latentDim: 8 });
      g.build([null, 8], rng(1));
      d.build([null, ...shape], rng(2));
      const a = await expectNoLeaks(() => g.sample(1, rng(3)), 'sample');
      const b = g.sample(1, rng(3));
      expect(a.shape).toEqual([1, ...shape]);
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      expect(Math.max(...Array.from(a.dataSync()).map(Math.abs))).toBeLessThanOrEqual(1);
      const logit = await expectNoLeaks(() => d.apply(a), 'discriminate');
      expect(logit.shape).toEqual([1, 1]);
      expect(g.latentDim).toBe(8);
      tf.dispose([a, b, logit]);
      g.dispose();
      d.dispose();
    }
    const { generator } = mlpGan({ dataDim: 5, latentDim: 3, hiddenSizes: [4] });
    const s = generator.sample(7, rng(1));
    expect(s.shape).toEqual([7, 5]);
    s.dispose();
    generator.dispose();
    expect(() => dcgan({ imageShape: [30, 28, 1] })).toThrow(
      new ConfigError("DCGANGenerator 'dcgan_generator': imageShape expected h and w that halve to the same small size (28×28, 32×32, 64×64, ...), got [30, 28, 1]"),
    );
    expect(() => mlpGan({ latentDim: 0 })).toThrow(new ConfigError("MLPGenerator 'mlp_generator': latentDim expected a positive integer, got 0"));
  });

  it('each side trains on its own loss: D separates a fixed real batch from fakes, then G fools that D', () => {
    // With the other network fixed, each player's loss must fall far below its start: the
    // discriminator's BCE(real, 1) + BCE(fake, 0) from ≈ 2 ln 2 ≈ 1.39 to below 0.1, then the
    // generator's non-saturating BCE(D(G(z)), 1) to below a quarter of its start. A broken
    // gradient path (through the transposed convs, batch norm or the discriminator) fails one of them.
    const cases: [string, Module, Module, tf.Tensor, number][] = [];
    // 16×16 keeps the two stride-2 stages of the 28×28 layout at a quarter of the cost.
    const dc = dcgan({ imageShape: [16, 16, 1], baseFilters: 4, latentDim: 8 });
    dc.generator.build([null, 8], rng(1));
    dc.discriminator.build([null, 16, 16, 1], rng(2));
    cases.push(['dcgan', dc.generator, dc.discriminator, tf.tidy(() => tf.sub(tf.mul(rng(3).uniformTensor([4, 16, 16, 1]), 2), 1)), 8]);
    const mg = mlpGan({ dataDim: 6, latentDim: 4, hiddenSizes: [16, 16] });
    mg.generator.build([null, 4], rng(1));
    mg.discriminator.build([null, 6], rng(2));
    cases.push(['mlp', mg.generator, mg.discriminator, tf.tidy(() => tf.sub(tf.mul(rng(3).uniformTensor([8, 6]), 2), 1)), 4]);
    for (const [label, g, d, real, latent] of cases) {
      const z = rng(4).normalTensor([real.shape[0]!, latent]);
      const dLosses = adamSteps([d], () => {
        const fake = g.apply(z, { training: true });
        return tf.add(bce(d.apply(real, { training: true }), 1), bce(d.apply(fake, { training: true }), 0)) as tf.Scalar;
      }, 40, 0.02);
      expect(dLosses[0]!, label).toBeGreaterThan(1);
      expect(dLosses.at(-1)!, label).toBeLessThan(0.1);
      d.freeze();
      const gLosses = adamSteps([g], () => bce(d.apply(g.apply(z, { training: true })), 1), 30, 0.02);
      expect(gLosses.at(-1)!, label).toBeLessThan(gLosses[0]! / 4);
      tf.dispose([z, real]);
      g.dispose();
      d.dispose();
    }
  });
});

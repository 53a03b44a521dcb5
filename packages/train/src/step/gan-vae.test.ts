import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Dense, Sequential } from '@tensorloom/layers';
import { adam } from '../optimizers/adam.js';
import { sgd } from '../optimizers/sgd.js';
import { fit } from '../fit/fit.js';
import { predict } from '../fit/evaluate.js';
import { memoryStore } from '../checkpoint/store.js';
import { checkpoint } from '../checkpoint/checkpoint.js';
import { ganStep, gradientPenalty } from './gan-step.js';
import { klWeight, vaeStep } from './vae-step.js';

const mlp = (units: number[], input: number, seed: number, name: string): Sequential =>
  new Sequential(
    units.map((u, i) => new Dense({ units: u, activation: i < units.length - 1 ? 'tanh' : undefined })),
    { name },
  ).build([null, input], rng(seed));

describe('gradientPenalty', () => {
  it('for a linear critic is (‖w‖ − 1)², with gradient 2(‖w‖ − 1)·w/‖w‖ (by hand)', () => {
    const critic = mlp([1], 3, 1, 'critic');
    const w = critic.parameters()['dense.kernel']!;
    w.assign(tf.tensor2d([[1], [2], [2]])); // ‖w‖ = 3
    const x = tf.tensor2d([[0.1, 0.2, 0.3], [1, -1, 0]]);
    const { value, grads } = tf.variableGrads(() => gradientPenalty(critic, x), [w]);
    expect(value.dataSync()[0]).toBeCloseTo(4, 4);
    const expected = [1, 2, 2].map((v) => (2 * (3 - 1) * v) / 3);
    Array.from(grads[w.name]!.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 4));
    tf.dispose([value, grads, x]);
    critic.dispose();
  });
});

describe('ganStep', () => {
  it('learns to generate a shifted 1-D Gaussian, updating each network with its own optimizer', async () => {
    const data = (() => {
      const r = rng(7);
      return Array.from({ length: 8 }, () => ({ x: tf.tensor2d(r.fill(32, () => r.normal(3, 0.5)), [32, 1]) }));
    })();
    const generator = mlp([16, 1], 2, 1, 'gen');
    const discriminator = mlp([16, 1], 1, 2, 'disc');
    const gOpt = adam({ learningRate: 0.005, beta1: 0.5 });
    const dOpt = adam({ learningRate: 0.005, beta1: 0.5 });
    const step = ganStep({ generator, discriminator, generatorOptimizer: gOpt, discriminatorOptimizer: dOpt, latentDim: 2 });
    const z = rng(99).normalTensor([256, 2]);
    const meanOf = async (): Promise<number> => {
      const s = await predict(generator, [z]);
      const m = tf.mean(s).dataSync()[0]!;
      s.dispose();
      return m;
    };
    const before = await meanOf();
    const history = await fit(generator, data, { step, epochs: 25, seed: 3 });
    const after = await meanOf();
    expect(Math.abs(before - 3)).toBeGreaterThan(2);
    expect(Math.abs(after - 3)).toBeLessThan(0.5);
    // At the equilibrium D cannot tell real from fake: d.loss → 2·ln 2, g.loss → ln 2.
    expect(history.last('d.loss')).toBeCloseTo(2 * Math.LN2, 1);
    expect(history.last('g.loss')).toBeCloseTo(Math.LN2, 1);
    expect(gOpt.iterations).toBe(200);
    expect(dOpt.iterations).toBe(200);
    expect(Object.keys(history.values).sort()).toEqual(['d.loss', 'g.loss', 'loss', 'lr']);
    expect(history.get('loss')).toEqual(history.get('g.loss'));
    tf.dispose([z, ...data.map((b) => b.x)]);
    [generator, discriminator].forEach((m) => m.dispose());
  });

  it('WGAN-GP with two critic steps runs leak-free and checkpoints both networks', async () => {
    const generator = mlp([4, 2], 2, 1, 'gen');
    const discriminator = mlp([4, 1], 2, 2, 'disc');
    const data = [{ x: rng(1).normalTensor([8, 2]) }];
    const dOpt = adam({ learningRate: 0.01 });
    const step = ganStep({
      generator, discriminator, latentDim: 2, loss: 'wasserstein', gradientPenalty: 10, discriminatorSteps: 2,
      generatorOptimizer: sgd({ learningRate: 0.01 }), discriminatorOptimizer: dOpt,
    });
    await fit(generator, data, { step, epochs: 1 });
    const store = memoryStore();
    await expectNoLeaks(() => fit(generator, data, { step, epochs: 3, callbacks: [checkpoint({ store })] }).then(() => undefined), 'ganStep fit');
    expect(dOpt.iterations).toBe(8);
    const files = await store.read((await store.list()).at(-1)!);
    const header = new TextDecoder().decode(files['model.safetensors']!.subarray(8, 8 + 400));
    expect(header).toContain('discriminator/dense.kernel');
    expect(() => ganStep({ generator, discriminator, latentDim: 2, generatorOptimizer: dOpt, discriminatorOptimizer: dOpt })).toThrow(
      "ganStep: discriminatorOptimizer expected its own optimizer, got the generator's",
    );
    data[0]!.x.dispose();
    [generator, discriminator].forEach((m) => m.dispose());
  });
});

describe('vaeStep', () => {
  it('its loss is reconstruction + w·KL computed by hand on the same noise, with w ramped by warm-up', () => {
    const encoder = mlp([4], 3, 1, 'enc'); // latentDim 2 → 4 outputs
    const decoder = mlp([3], 2, 2, 'dec');
    const x = tf.tensor2d([[0, 1, 1], [1, 0, 0.5]]);
    const step = vaeStep({ encoder, decoder, latentDim: 2, optimizer: sgd({ learningRate: 0 }), klWarmupSteps: 10, beta: 2 });
    const expected = tf.tidy(() => {
      const stats = encoder.apply(x).arraySync() as number[][];
      const eps = rng(5).normalTensor([2, 2]).arraySync() as number[][];
      let recon = 0;
      let kl = 0;
      stats.forEach((s, i) => {
        const [m, lv] = [s.slice(0, 2), s.slice(2)];
        const z = m.map((mu, j) => mu + Math.exp(0.5 * lv[j]!) * eps[i]![j]!);
        const logits = (decoder.apply(tf.tensor2d([z])).arraySync() as number[][])[0]!;
        const xi = (x.arraySync() as number[][])[i]!;
        logits.forEach((l, j) => (recon += Math.log1p(Math.exp(l)) - xi[j]! * l));
        m.forEach((mu, j) => (kl += -0.5 * (1 + lv[j]! - mu * mu - Math.exp(lv[j]!))));
      });
      return { recon: recon / 2, kl: kl / 2 };
    });
    const out = step.run({ x, y: null, sampleWeight: null, size: 2 }, { epoch: 0, batch: 0, globalStep: 5, rng: rng(5) });
    expect(out.values!['reconstruction']!.dataSync()[0]).toBeCloseTo(expected.recon, 4);
    expect(out.values!['kl']!.dataSync()[0]).toBeCloseTo(expected.kl, 4);
    expect(out.values!['klWeight']!.dataSync()[0]).toBe(1); // 2 · 5/10
    expect(out.loss.dataSync()[0]).toBeCloseTo(expected.recon + expected.kl, 4);
    expect([klWeight(0, 2, 10), klWeight(20, 2, 10), klWeight(3, 1, 0)]).toEqual([0, 2, 1]);
    tf.dispose([out.loss, ...Object.values(out.values!), x]);
    [encoder, decoder].forEach((m) => m.dispose());
  });

  it('trains from fit: the loss falls', async () => {
    const encoder = mlp([16, 4], 6, 1, 'enc');
    const decoder = mlp([16, 6], 2, 2, 'dec');
    const r = rng(4);
    // Two prototypes with a tenth of the bits flipped: a 2-D latent can tell them apart.
    const prototypes = [[1, 1, 1, 0, 0, 0], [0, 0, 0, 1, 1, 1]];
    const sample = (): number[] => prototypes[r.int(2)]!.map((b) => (r.bernoulli(0.1) ? 1 - b : b));
    const data = Array.from({ length: 4 }, () => ({ x: tf.tensor2d(Array.from({ length: 8 }, sample), [8, 6]) }));
    const history = await fit(encoder, data, {
      step: vaeStep({ encoder, decoder, latentDim: 2, optimizer: adam({ learningRate: 0.02 }), klWarmupSteps: 20 }),
      epochs: 15,
      seed: 1,
    });
    const loss = history.get('reconstruction');
    expect(loss.at(-1)!).toBeLessThan(loss[0]! * 0.6);
    expect(history.get('klWeight').at(-1)).toBe(1);
    data.forEach((b) => b.x.dispose());
    [encoder, decoder].forEach((m) => m.dispose());
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { MLP, Perceptron, RBFNetwork, gaussianRbf, kMeans } from '../index.js';
import { adamSteps, crossEntropy, trainableCount } from '../transfer/internal/testing.js';

const mse = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.tidy(() => tf.mean(tf.square(tf.sub(a, b))) as tf.Scalar);

describe('Perceptron', () => {
  it('step output from hand-set weights; the perceptron rule separates AND in a few passes', () => {
    const p = new Perceptron().build([null, 2], rng(1));
    expect(p.countParams().trainable).toBe(3);
    const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = tf.tensor1d([0, 0, 0, 1]);
    let passes = 0;
    while (p.learn(x, y, 1) > 0 && passes < 20) passes++;
    expect(passes).toBeLessThan(20);
    const out = p.apply(x);
    expect(Array.from(out.dataSync())).toEqual([0, 0, 0, 1]);
    // Hand-set: w = [1, 1], b = -1.5 → step(x1 + x2 − 1.5) is AND; sigmoid gives σ of the same logits.
    const s = new Perceptron({ output: 'sigmoid' }).build([null, 2], rng(1));
    const k = tf.tensor2d([[1], [1]]);
    const b = tf.tensor1d([-1.5]);
    s.loadState({ 'fc.kernel': k, 'fc.bias': b });
    const sig = s.apply(x);
    [-1.5, -0.5, -0.5, 0.5].forEach((z, i) => expect(sig.dataSync()[i]).toBeCloseTo(1 / (1 + Math.exp(-z)), 6));
    expect(() => p.learn(x, tf.tensor1d([1, 0]), 1)).toThrow(ShapeError);
    expect(() => p.learn(x, y, 0)).toThrow(new ConfigError("Perceptron 'perceptron': learningRate expected > 0, got 0"));
    expect(() => new Perceptron({ output: 'relu' as never })).toThrow(new ConfigError("Perceptron 'perceptron': output expected one of 'step', 'sigmoid', got 'relu'"));
    tf.dispose([x, y, out, k, b, sig]);
    p.dispose();
    s.dispose();
  });

  it('sigmoid output overfits a separable batch by gradient descent', () => {
    // OR on 4 points: binary cross-entropy from ln 2 ≈ 0.69 to below 0.15 in 40 Adam steps.
    const p = new Perceptron({ output: 'sigmoid' }).build([null, 2], rng(1));
    const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = tf.tensor2d([[0], [1], [1], [1]]);
    const losses = adamSteps([p], () => tf.losses.sigmoidCrossEntropy(y, p.logits(x)) as tf.Scalar, 40, 0.3);
    expect(losses[0]!).toBeCloseTo(Math.log(2), 5);
    expect(losses.at(-1)!).toBeLessThan(0.15);
    tf.dispose([x, y]);
    p.dispose();
  });
});

describe('MLP', () => {
  it('parameter count equals the closed form; layer names; shapes with both norms and dropout', async () => {
    expect(trainableCount(new MLP().parameterShapes([null, 784]))).toBe(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
    expect(trainableCount(new MLP().parameterShapes([null, 784]))).toBe(235_146);
    const bn = new MLP({ hiddenSizes: [8, 4], outputs: 3, normalization: 'batch', dropout: 0.5 }).build([null, 5], rng(1));
    expect([...bn.namedChildren().keys()]).toEqual(['fc1', 'norm1', 'act1', 'dropout1', 'fc2', 'norm2', 'act2', 'dropout2', 'output']);
    expect(bn.countParams().trainable).toBe(5 * 8 + 8 + 16 + 8 * 4 + 4 + 8 + 4 * 3 + 3);
    const x = tf.ones([1, 5]);
    const y = await expectNoLeaks(() => bn.apply(x, { training: true }), 'mlp');
    expect(y.shape).toEqual([1, 3]);
    const ln = new MLP({ hiddenSizes: [], outputs: 2, normalization: 'layer' }).build([null, 5], rng(1));
    expect([...ln.namedChildren().keys()]).toEqual(['output']);
    expect(() => new MLP({ dropout: 1 })).toThrow(new ConfigError("MLP 'mlp': dropout expected a number in [0, 1), got 1"));
    expect(() => new MLP({ normalization: 'group' as never })).toThrow(new ConfigError("MLP 'mlp': normalization expected one of 'batch', 'layer', null, got 'group'"));
    expect(() => new MLP({ activation: 'rellu' as never })).toThrow(/^MLP 'mlp': activation expected one of linear, relu, .*, got 'rellu'$/);
    expect(() => new MLP({ hiddenSizes: [3, 0] })).toThrow(new ConfigError("MLP 'mlp': hiddenSizes expected a list of positive integers, got [3, 0]"));
    tf.dispose([x, y]);
    bn.dispose();
    ln.dispose();
  });

  it('overfits a tiny batch (batch norm, layer norm, dropout)', () => {
    // 8 random points, 4 random classes: cross-entropy from ≈ ln 4 to below 0.1 in 40 Adam steps.
    const x = rng(2).normalTensor([8, 6]);
    const labels = [0, 1, 2, 3, 3, 2, 1, 0];
    for (const config of [{ normalization: 'batch' as const }, { normalization: 'layer' as const, dropout: 0.1 }]) {
      const m = new MLP({ hiddenSizes: [32, 32], outputs: 4, ...config }).build([null, 6], rng(3));
      const losses = adamSteps([m], () => crossEntropy(m.apply(x, { training: true }), labels), 40, 0.01);
      expect(losses[0]!).toBeGreaterThan(1);
      expect(losses.at(-1)!).toBeLessThan(0.1);
      m.dispose();
    }
    x.dispose();
  });
});

describe('RBFNetwork', () => {
  it('Gaussian activations equal the formula; read-out on top', () => {
    const x = tf.tensor2d([[0, 0], [1, 2]]);
    const c = tf.tensor2d([[0, 0], [1, 1], [3, -1]]);
    const w = tf.tensor1d([1, 0.5, 2]);
    const phi = gaussianRbf(x, c, w).arraySync() as number[][];
    const xs = [[0, 0], [1, 2]];
    const cs = [[0, 0], [1, 1], [3, -1]];
    const ws = [1, 0.5, 2];
    xs.forEach((xi, i) => cs.forEach((cj, j) => expect(phi[i]![j]!).toBeCloseTo(Math.exp(-((xi[0]! - cj[0]!) ** 2 + (xi[1]! - cj[1]!) ** 2) / (2 * ws[j]! ** 2)), 5)));
    const net = new RBFNetwork({ centres: 3, outputs: 2 }).build([null, 2], rng(1));
    expect(net.countParams().trainable).toBe(3 * 2 + 3 + 3 * 2 + 2);
    const fixed = new RBFNetwork({ centres: 3, learnCentres: false, learnWidths: false }).build([null, 2], rng(1));
    expect(Object.keys(fixed.trainableParameters())).toEqual(['readout.kernel', 'readout.bias']);
    expect(() => net.apply(tf.ones([1, 3]))).toThrow(new ShapeError("RBFNetwork 'rbf_network': input expected [batch, 2], got [1, 3]"));
    expect(() => new RBFNetwork({ initialWidth: 0 })).toThrow(new ConfigError("RBFNetwork 'rbf_network': initialWidth expected a finite number > 0, got 0"));
    tf.dispose([x, c, w]);
    net.dispose();
    fixed.dispose();
  });

  it('k-means recovers separated clusters; fitCentres sets centres and widths', () => {
    const r = rng(5);
    const truth = [[0, 0], [10, 0], [0, 10]];
    const rows: number[] = [];
    for (let i = 0; i < 60; i++) rows.push(truth[i % 3]![0]! + r.normal(0, 0.5), truth[i % 3]![1]! + r.normal(0, 0.5));
    const { centres } = kMeans(rows, 60, 2, 3, rng(6));
    const found = [0, 1, 2].map((j) => [centres[2 * j]!, centres[2 * j + 1]!]).sort((a, b) => a[0]! + 2 * a[1]! - (b[0]! + 2 * b[1]!));
    found.forEach((f, j) => {
      expect(Math.abs(f[0]! - truth[j]![0]!)).toBeLessThan(0.4);
      expect(Math.abs(f[1]! - truth[j]![1]!)).toBeLessThan(0.4);
    });
    const net = new RBFNetwork({ centres: 3, learnCentres: false }).build([null, 2], rng(1));
    const sample = tf.tensor2d(rows, [60, 2]);
    net.fitCentres(sample, rng(6));
    const widths = Array.from(net.widths!.dataSync());
    widths.forEach((wv) => expect(wv).toBeGreaterThan(0.4));
    widths.forEach((wv) => expect(wv).toBeLessThan(1));
    expect(() => net.fitCentres(tf.ones([2, 2]), rng(1))).toThrow(new ShapeError("RBFNetwork 'rbf_network': fitCentres expected a sample [n ≥ 3, 2], got [2, 2]"));
    sample.dispose();
    net.dispose();
  });

  it('overfits XOR with centres fixed from data and with learnable centres', () => {
    // XOR is not linearly separable; four Gaussian units on the four points make it so.
    // MSE from ≈ 0.25-0.5 to below 0.01 in 60 Adam steps.
    const x = tf.tensor2d([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = tf.tensor2d([[0], [1], [1], [0]]);
    for (const learn of [false, true]) {
      const net = new RBFNetwork({ centres: 4, learnCentres: learn, learnWidths: learn }).build([null, 2], rng(7));
      net.fitCentres(x, rng(8));
      const losses = adamSteps([net], () => mse(net.apply(x), y), 60, 0.1);
      expect(losses.at(-1)!).toBeLessThan(0.01);
      expect(losses.at(-1)!).toBeLessThan(losses[0]! / 10);
      net.dispose();
    }
    tf.dispose([x, y]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { rnnClassifier, rnnClassifierParameterCount } from '../index.js';
import type { RNNClassifierConfig } from '../index.js';
import { loadFixture, maxAbsDiff } from '../transformer/internal/fixture.js';

const fixture = (name: string) =>
  loadFixture(readFileSync(new URL(`./fixtures/${name}.safetensors`, import.meta.url)), readFileSync(new URL(`./fixtures/${name}.map.json`, import.meta.url), 'utf8'));
const ids = (rows: number[][]): tf.Tensor2D => tf.tensor2d(rows, undefined, 'int32');
const tiny: RNNClassifierConfig = { vocabSize: 10, numClasses: 3, embeddingDim: 4, units: 5 };

describe('RNNClassifier', () => {
  it.each([
    ['lstm', {}],
    ['gru, bidirectional, 2 layers', { cell: 'gru', bidirectional: true, numLayers: 2 }],
    ['gru resetAfter, dropout', { cell: 'gru', resetAfter: true, dropout: 0.2 }],
    ['lstm, bidirectional, 3 layers, no padding', { bidirectional: true, numLayers: 3, padId: null }],
  ] as const)('maps [batch, time] ids to [batch, classes] logits and has the closed-form count (%s)', (_, extra) => {
    const config = { ...tiny, ...extra } as RNNClassifierConfig;
    const model = rnnClassifier(config).build([null, null], rng(1));
    for (const [b, t] of [[1, 1], [2, 7]] as const) {
      const y = model.apply(ids(Array.from({ length: b }, () => Array.from({ length: t }, (_, i) => (i % 9) + 1))), { training: true });
      expect(y.shape).toEqual([b, 3]);
      y.dispose();
    }
    expect(model.outputShape([null, 7])).toEqual([null, 3]);
    expect(model.countParams().total).toBe(rnnClassifierParameterCount(config));
    model.dispose();
  });

  it('states the default count: 2,691,842 with vocabSize 20000 and 2 classes', () => {
    expect(rnnClassifierParameterCount({ vocabSize: 20000, numClasses: 2 })).toBe(20000 * 128 + 4 * 128 * (128 + 128 + 1) + 128 * 2 + 2);
    expect(rnnClassifierParameterCount({ vocabSize: 20000, numClasses: 2 })).toBe(2_691_842);
  });

  it('equals PyTorch (Embedding, 2-layer bidirectional LSTM over packed sequences, Linear) on the same weights (1e-5)', async () => {
    const f = fixture('rnn-classifier');
    const model = rnnClassifier(f.config as unknown as RNNClassifierConfig).build([null, null], rng(0));
    model.loadState(f.state);
    const y = await expectNoLeaks(() => model.apply(f.ids), 'apply');
    expect(maxAbsDiff(y, f.outputs.logits!)).toBeLessThan(1e-5);
    tf.dispose(y);
    f.dispose();
    model.dispose();
  });

  it('equals PyTorch (bidirectional nn.GRU over packed sequences, gates reordered r,z,n -> z,r,h) with resetAfter (1e-5)', () => {
    const f = fixture('gru-classifier');
    const model = rnnClassifier(f.config as unknown as RNNClassifierConfig).build([null, null], rng(0));
    model.loadState(f.state);
    const y = model.apply(f.ids);
    expect(maxAbsDiff(y, f.outputs.logits!)).toBeLessThan(1e-5);
    tf.dispose(y);
    f.dispose();
    model.dispose();
  });

  it('ignores padding: trailing pad ids do not change the logits', () => {
    const model = rnnClassifier({ ...tiny, bidirectional: true, numLayers: 2 }).build([null, null], rng(2));
    const short = model.apply(ids([[4, 2, 7]]));
    const padded = model.apply(ids([[4, 2, 7, 0, 0]]));
    expect(maxAbsDiff(short, padded)).toBeLessThan(1e-6);
    const unmasked = rnnClassifier({ ...tiny, bidirectional: true, numLayers: 2, padId: null }).build([null, null], rng(2));
    const seen = unmasked.apply(ids([[4, 2, 7, 0, 0]]));
    expect(maxAbsDiff(short, seen)).toBeGreaterThan(1e-4); // without the mask the zeros are read
    tf.dispose([short, padded, seen]);
    model.dispose();
    unmasked.dispose();
  });

  it('overfits a tiny batch', () => {
    // Four sequences, three classes, ids drawn without order: the cross-entropy starts near
    // ln 3 ≈ 1.1; 40 Adam steps must bring it under 0.1 (a quarter of the loss of a model
    // that is 90% sure of every label).
    const model = rnnClassifier({ ...tiny, bidirectional: true }).build([null, null], rng(3));
    const x = ids([[1, 2, 3, 0], [4, 5, 6, 7], [7, 1, 0, 0], [9, 8, 2, 5]]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const optimizer = tf.train.adam(0.05);
    const vars = Object.values(model.trainableParameters());
    const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0]!);
    let last = first;
    for (let i = 0; i < 40; i++) {
      const cost = optimizer.minimize(loss, true, vars)!;
      last = cost.dataSync()[0]!;
      cost.dispose();
    }
    expect(first).toBeGreaterThan(0.9);
    expect(last).toBeLessThan(0.1);
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  });

  it('trains without leaking tensors', async () => {
    const model = rnnClassifier({ ...tiny, cell: 'gru', dropout: 0.3, numLayers: 2 }).build([null, null], rng(4));
    const x = ids([[1, 2, 0]]);
    const vars = Object.values(model.trainableParameters());
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(model.apply(x, { training: true })) as tf.Scalar, vars);
      tf.dispose([value, ...Object.values(grads)]);
    }, 'gradients');
    x.dispose();
    model.dispose();
  });

  it('validates every field with a message naming it, and the input rank', () => {
    expect(() => rnnClassifier({ ...tiny, vocabSize: 0 })).toThrow(new ConfigError("RNNClassifier 'rnn_classifier': vocabSize expected a positive integer, got 0"));
    expect(() => rnnClassifier({ ...tiny, numClasses: 2.5 })).toThrow(/numClasses expected a positive integer, got 2.5/);
    expect(() => rnnClassifier({ ...tiny, units: -1 })).toThrow(/units expected a positive integer/);
    expect(() => rnnClassifier({ ...tiny, embeddingDim: 0 })).toThrow(/embeddingDim expected a positive integer/);
    expect(() => rnnClassifier({ ...tiny, numLayers: 0 })).toThrow(/numLayers expected a positive integer/);
    expect(() => rnnClassifier({ ...tiny, cell: 'rnn' as 'lstm' })).toThrow(/cell expected 'lstm' or 'gru', got 'rnn'/);
    expect(() => rnnClassifier({ ...tiny, dropout: -0.1 })).toThrow(/dropout expected a rate in \[0, 1\), got -0.1/);
    expect(() => rnnClassifier({ ...tiny, padId: 10 })).toThrow(/padId expected an integer in \[0, 10\) or null, got 10/);
    const model = rnnClassifier(tiny).build([null, null], rng(1));
    expect(() => model.apply(tf.tensor1d([1, 2], 'int32'))).toThrow(new ShapeError("RNNClassifier 'rnn_classifier': input expected rank 2 [batch, time] of token ids, got shape [2]"));
    model.dispose();
  });
});

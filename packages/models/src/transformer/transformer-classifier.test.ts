import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { transformerClassifier, transformerClassifierParameterCount } from '../index.js';
import type { TransformerClassifierConfig } from '../index.js';
import { loadFixture, maxAbsDiff } from './internal/fixture.js';

const ids = (rows: number[][]): tf.Tensor2D => tf.tensor2d(rows, undefined, 'int32');
const tiny: TransformerClassifierConfig = { vocabSize: 12, numClasses: 3, maxLength: 10, dModel: 8, numLayers: 2, numHeads: 2, dimFeedforward: 12, dropout: 0 };

describe('TransformerClassifier', () => {
  it.each([
    ['cls, post-norm', {}],
    ['mean, pre-norm, dropout', { pooling: 'mean', normFirst: true, dropout: 0.1 }],
    ['mean, no padding', { pooling: 'mean', padId: null }],
  ] as const)('maps [batch, time] ids to [batch, classes] logits and has the closed-form count (%s)', (_, extra) => {
    const config = { ...tiny, ...extra } as TransformerClassifierConfig;
    const model = transformerClassifier(config).build([null, null], rng(1));
    for (const [b, t] of [[1, 1], [3, 10]] as const) {
      const y = model.apply(ids(Array.from({ length: b }, () => Array.from({ length: t }, (_, i) => (i % 11) + 1))), { training: true });
      expect(y.shape).toEqual([b, 3]);
      y.dispose();
    }
    expect(model.countParams().total).toBe(transformerClassifierParameterCount(config));
    model.dispose();
  });

  it('states the default count: 11,104,770 with vocabSize 30522 and 2 classes', () => {
    const d = 256;
    const layer = 4 * (d * d + d) + 2 * d * 4 * d + 4 * d + d + 4 * d;
    expect(transformerClassifierParameterCount({ vocabSize: 30522, numClasses: 2 })).toBe(30522 * d + 512 * d + 2 * d + 4 * layer + d * 2 + 2);
    expect(transformerClassifierParameterCount({ vocabSize: 30522, numClasses: 2 })).toBe(11_104_770);
  });

  it('equals PyTorch (nn.TransformerEncoderLayer with a padding mask, cls and mean pooling) on the same weights (1e-5)', async () => {
    const f = loadFixture(
      readFileSync(new URL('./fixtures/transformer-classifier.safetensors', import.meta.url)),
      readFileSync(new URL('./fixtures/transformer-classifier.map.json', import.meta.url), 'utf8'),
    );
    for (const pooling of ['cls', 'mean'] as const) {
      const model = transformerClassifier({ ...(f.config as unknown as TransformerClassifierConfig), pooling }).build([null, null], rng(0));
      model.loadState(f.state);
      const y = await expectNoLeaks(() => model.apply(f.ids), 'apply');
      expect(maxAbsDiff(y, f.outputs[pooling]!)).toBeLessThan(1e-5);
      y.dispose();
      model.dispose();
    }
    f.dispose();
  });

  it('ignores padding: trailing pad ids change neither pooling', () => {
    for (const pooling of ['cls', 'mean'] as const) {
      const model = transformerClassifier({ ...tiny, pooling }).build([null, null], rng(2));
      const short = model.apply(ids([[1, 4, 7]]));
      const padded = model.apply(ids([[1, 4, 7, 0, 0, 0]]));
      expect(maxAbsDiff(short, padded)).toBeLessThan(1e-5);
      tf.dispose([short, padded]);
      model.dispose();
    }
  });

  it('overfits a tiny batch', () => {
    // Four padded sequences, three classes: the cross-entropy starts near ln 3 ≈ 1.1; 40
    // Adam steps must bring it under 0.1 (a quarter of the loss of a model 90% sure of each label).
    const model = transformerClassifier({ ...tiny, pooling: 'mean' }).build([null, null], rng(3));
    const x = ids([[1, 2, 3, 0], [4, 5, 6, 7], [7, 1, 0, 0], [9, 8, 2, 5]]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
    const optimizer = tf.train.adam(0.02);
    const vars = Object.values(model.trainableParameters());
    const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0]!);
    let last = first;
    for (let i = 0; i < 40; i++) {
      const cost = optimizer.minimize(loss, true, vars)!;
      last = cost.dataSync()[0]!;
      cost.dispose();
    }
    expect(first).toBeGreaterThan(0.8);
    expect(last).toBeLessThan(0.1);
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  });

  it('trains without leaking tensors', async () => {
    const model = transformerClassifier({ ...tiny, dropout: 0.2, pooling: 'mean' }).build([null, null], rng(4));
    const x = ids([[1, 2, 0]]);
    const vars = Object.values(model.trainableParameters());
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(model.apply(x, { training: true })) as tf.Scalar, vars);
      tf.dispose([value, ...Object.values(grads)]);
    }, 'gradients');
    x.dispose();
    model.dispose();
  });

  it('validates every field with a message naming it, and the input', () => {
    const name = "TransformerClassifier 'transformer_classifier'";
    expect(() => transformerClassifier({ ...tiny, dModel: 7 })).toThrow(new ConfigError(`${name}: dModel expected a multiple of numHeads 2, got 7`));
    expect(() => transformerClassifier({ ...tiny, vocabSize: 0 })).toThrow(/vocabSize expected a positive integer, got 0/);
    expect(() => transformerClassifier({ ...tiny, numClasses: 0 })).toThrow(/numClasses expected a positive integer/);
    expect(() => transformerClassifier({ ...tiny, maxLength: 0 })).toThrow(/maxLength expected a positive integer/);
    expect(() => transformerClassifier({ ...tiny, numLayers: 0 })).toThrow(/numLayers expected a positive integer/);
    expect(() => transformerClassifier({ ...tiny, numHeads: 0 })).toThrow(/numHeads expected a positive integer/);
    expect(() => transformerClassifier({ ...tiny, dimFeedforward: 0 })).toThrow(/dimFeedforward expected a positive integer/);
    expect(() => transformerClassifier({ ...tiny, dropout: 1 })).toThrow(/dropout expected a rate in \[0, 1\), got 1/);
    expect(() => transformerClassifier({ ...tiny, pooling: 'max' as 'cls' })).toThrow(/pooling expected 'cls' or 'mean', got 'max'/);
    expect(() => transformerClassifier({ ...tiny, padId: -1 })).toThrow(/padId expected an integer in \[0, 12\) or null, got -1/);
    expect(() => transformerClassifier({ ...tiny, layerNormEps: -1 })).toThrow(/layerNormEps expected a positive number/);
    const model = transformerClassifier(tiny).build([null, null], rng(1));
    expect(() => model.apply(tf.tensor1d([1], 'int32'))).toThrow(new ShapeError(`${name}: input expected rank 2 [batch, time] of token ids, got shape [1]`));
    expect(() => model.apply(ids([Array.from({ length: 11 }, () => 1)]))).toThrow(ShapeError);
    model.dispose();
  });
});

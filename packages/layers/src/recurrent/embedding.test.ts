import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, DTypeError, ShapeError, ValueError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Bidirectional, Dense, Embedding, LSTM, Module, Sequential, embedding, embeddingMask, embeddingOutputShape } from '@tensorloom/layers';
import type { ApplyOptions } from '@tensorloom/layers';
import { checkFunctionGradients, compareTensors } from '../internal/testing.js';

const ids = (values: number[][]): tf.Tensor => tf.tensor(values, undefined, 'int32');

describe('Embedding', () => {
  it.each([
    { input: [null, 5], out: [null, 5, 4] },
    { input: [1, 3], out: [1, 3, 4] },
    { input: [2], out: [2, 4] },
    { input: [2, 3, 2], out: [2, 3, 2, 4] },
  ])('infers $input → $out and matches a real apply', ({ input, out }) => {
    const layer = new Embedding({ inputDim: 10, outputDim: 4 }).build(input, rng(1));
    expect(layer.outputShape(input)).toEqual(out);
    expect(embeddingOutputShape(input, 4)).toEqual(out);
    const y = layer.apply(tf.zeros(input.map((d) => d ?? 2), 'int32'));
    expect(y.shape).toEqual(out.map((d) => d ?? 2));
    layer.dispose();
  });

  it('looks up rows of the table (hand-written table)', () => {
    const layer = new Embedding({ inputDim: 3, outputDim: 2 }).build([null, 2]);
    layer.loadState({ embeddings: tf.tensor([[0, 1], [10, 11], [20, 21]]) });
    expect(layer.apply(ids([[1, 0], [2, 2]])).arraySync()).toEqual([[[10, 11], [0, 1]], [[20, 21], [20, 21]]]);
    // Float ids are cast: the zeros of a default build dry-run, or ids stored as floats.
    expect(layer.apply(tf.tensor([[2, 1]])).arraySync()).toEqual([[[20, 21], [10, 11]]]);
  });

  it('builds inside a module whose default build feeds float zeros', () => {
    class Encoder extends Module {
      emb = this.addModule('emb', new Embedding({ inputDim: 6, outputDim: 3 }));
      protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
        return tf.sum(this.emb.apply(x, options), 1);
      }
    }
    const model = new Encoder().build([null, 4], rng(2));
    expect(Object.keys(model.parameters())).toEqual(['emb.embeddings']);
    expect(model.apply(ids([[1, 2, 3, 4]])).shape).toEqual([1, 3]);
  });

  it('starts from U(-0.05, 0.05), as Keras and tfjs-layers', () => {
    const values = new Embedding({ inputDim: 100, outputDim: 8 }).build([null, 1], rng(3)).embeddings!.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-0.05);
    expect(Math.max(...values)).toBeLessThan(0.05);
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(0.09);
  });

  it('matches tfjs-layers in outputs, masks and the table gradient', () => {
    const x = ids([[3, 1, 0, 0], [2, 2, 7, 0]]);
    const layer = new Embedding({ inputDim: 8, outputDim: 5, maskZero: true }).build([null, 4], rng(4));
    const ref = tfl.layers.embedding({ inputDim: 8, outputDim: 5, maskZero: true });
    tf.dispose(ref.apply(x) as tf.Tensor);
    ref.setWeights([layer.embeddings!]);
    expect(compareTensors(layer.apply(x), ref.apply(x) as tf.Tensor)).toBeNull();
    expect(layer.computeMask(x, null)!.arraySync()).toEqual((ref.computeMask(x) as tf.Tensor).arraySync());
    const weights = rng(5).normalTensor([2, 4, 5]);
    const refVar = ref.trainableWeights[0]!.read() as tf.Variable;
    const gOurs = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x), weights)) as tf.Scalar, [layer.embeddings!]).grads;
    const gRef = tf.variableGrads(() => tf.sum(tf.mul(ref.apply(x) as tf.Tensor, weights)) as tf.Scalar, [refVar]).grads;
    expect(compareTensors(gOurs[layer.embeddings!.name]!, gRef[refVar.name]!)).toBeNull();
  });

  it('has a table gradient that matches finite differences, repeated ids accumulating', () => {
    const x = ids([[1, 1, 3], [0, 1, 2]]);
    expect(checkFunctionGradients((table) => embedding(x, table), [rng(6).normalTensor([4, 3])])).toBeNull();
  });

  it('masks padding: maskZero, padId, or nothing', () => {
    const x = ids([[5, 3, 0, 0]]);
    expect(new Embedding({ inputDim: 6, outputDim: 2, maskZero: true }).computeMask(x, null)!.arraySync()).toEqual([[1, 1, 0, 0]]);
    expect(new Embedding({ inputDim: 6, outputDim: 2, padId: 3 }).computeMask(x, null)!.arraySync()).toEqual([[1, 0, 1, 1]]);
    expect(new Embedding({ inputDim: 6, outputDim: 2, maskZero: true, padId: 0 }).config.padId).toBe(0);
    expect(new Embedding({ inputDim: 6, outputDim: 2 }).computeMask(x, tf.ones([1, 4], 'bool'))).toBeNull();
    expect(embeddingMask(tf.tensor([[2, 0]]), 0).dtype).toBe('bool');
  });

  it('feeds its mask to an LSTM in a Sequential: padded steps are skipped', () => {
    const model = new Sequential([new Embedding({ inputDim: 9, outputDim: 3, maskZero: true }), new LSTM({ units: 2 })]).build([null, 5], rng(7));
    const padded = model.apply(ids([[4, 8, 2, 0, 0], [1, 2, 3, 4, 5]]));
    const unpadded = model.apply(ids([[4, 8, 2]]));
    expect(compareTensors(tf.slice(padded, [0, 0], [1, 2]), unpadded, { atol: 1e-6, rtol: 0 })).toBeNull();
  });

  it('checks its configuration and its ids, naming the bad value', () => {
    expect(() => new Embedding({ inputDim: 0, outputDim: 2, name: 'emb' })).toThrowError(new ConfigError("Embedding 'emb': inputDim expected a positive integer, got 0"));
    expect(() => new Embedding({ inputDim: 4, outputDim: 1.5, name: 'emb' })).toThrowError(new ConfigError("Embedding 'emb': outputDim expected a positive integer, got 1.5"));
    expect(() => new Embedding({ inputDim: 4, outputDim: 2, padId: 4, name: 'emb' })).toThrowError(new ConfigError("Embedding 'emb': padId expected an integer in [0, 4), got 4"));
    expect(() => new Embedding({ inputDim: 4, outputDim: 2, maskZero: true, padId: 2, name: 'emb' })).toThrowError(
      new ConfigError("Embedding 'emb': padId expected 0 or null with maskZero, got 2", { help: 'maskZero is shorthand for padId: 0; give one of them' }),
    );
    const layer = new Embedding({ inputDim: 4, outputDim: 2, name: 'emb' }).build([null, 3]);
    expect(() => layer.apply(ids([[1, 4, 0]]))).toThrowError(new ValueError("Embedding 'emb': input id expected an integer in [0, 4), got 4 at flat index 1"));
    expect(() => layer.apply(ids([[1, 2, -1]]))).toThrowError(new ValueError("Embedding 'emb': input id expected an integer in [0, 4), got -1 at flat index 2"));
    expect(() => layer.apply(tf.tensor([[1, 2.5, 0]]))).toThrowError(new ValueError("Embedding 'emb': input id expected an integer in [0, 4), got 2.5 at flat index 1"));
    expect(() => layer.apply(tf.tensor([[true, false, true]], undefined, 'bool'))).toThrowError(new DTypeError("Embedding 'emb': input dtype expected int32 or float32, got bool"));
    expect(() => layer.apply(tf.scalar(1, 'int32'))).toThrowError(new ShapeError("Embedding 'emb': input expected rank >= 1 [batch, ...], got []"));
    expect(() => new Embedding({ inputDim: 4, outputDim: 2, name: 'e2' }).build([])).toThrowError(new ShapeError("Embedding 'e2': input expected rank >= 1 [batch, ...], got []"));
  });

  it('does not leak in a lookup, a mask or a gradient', async () => {
    const layer = new Embedding({ inputDim: 5, outputDim: 3, maskZero: true }).build([null, 3], rng(1));
    const x = ids([[1, 0, 4]]);
    await expectNoLeaks(() => layer.apply(x), 'Embedding apply');
    const floatIds = tf.cast(x, 'float32');
    await expectNoLeaks(() => layer.apply(floatIds), 'Embedding apply (float ids)');
    await expectNoLeaks(() => layer.computeMask(x, null), 'Embedding mask');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'Embedding gradient');
  });
});

describe('README example (sequences)', () => {
  it('runs as written', () => {
    const model = new Sequential([
      new Embedding({ inputDim: 1000, outputDim: 32, maskZero: true }),
      new Bidirectional({ layer: new LSTM({ units: 64 }) }),
      new Dense({ units: 2 }),
    ]).build([null, 20], rng(42));
    const ids = tf.pad(tf.tensor2d([[12, 7, 85, 3]], undefined, 'int32'), [[0, 0], [0, 16]]); // [1, 20]
    const logits = model.apply(ids); // [1, 2]
    expect(logits.shape).toEqual([1, 2]);

    const encoder = new LSTM({ units: 8, returnState: true });
    const [, h, c] = encoder.apply(tf.ones([1, 5, 3]));
    const decoder = new LSTM({ units: 8, returnSequences: true });
    const y = decoder.apply(tf.ones([1, 4, 3]), { initialState: [h!, c!] }); // [1, 4, 8]
    expect(y.shape).toEqual([1, 4, 8]);
  });
});

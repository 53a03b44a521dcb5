import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Dense, dense, denseOutputShape } from '@tensorloom/layers';
import { checkModuleGradients, compareTensors } from '../internal/testing.js';

describe('Dense', () => {
  it.each([
    { input: [null, 4], out: [null, 3] },
    { input: [1, 4], out: [1, 3] },
    { input: [null, 5, 4], out: [null, 5, 3] },
    { input: [2, 6, 5, 4], out: [2, 6, 5, 3] },
  ])('infers $input → $out and matches a real apply', ({ input, out }) => {
    const layer = new Dense({ units: 3 }).build(input, rng(1));
    expect(layer.outputShape(input)).toEqual(out);
    const y = layer.apply(tf.zeros(input.map((d) => d ?? 2)));
    expect(y.shape).toEqual(out.map((d) => d ?? 2));
    tf.dispose(y);
    layer.dispose();
  });

  it('computes x·W + b with hand-computed values', () => {
    const layer = new Dense({ units: 2 }).build([null, 3]);
    layer.loadState({ kernel: tf.tensor([[1, 2], [3, 4], [5, 6]]), bias: tf.tensor([0.5, -1]) });
    const y = layer.apply(tf.tensor([[1, 0, -1], [2, 1, 0]]));
    // [1,0,-1]·W = [1-5, 2-6] = [-4,-4] + b = [-3.5,-5]; [2,1,0]·W = [5, 8] + b = [5.5, 7]
    expect(y.arraySync()).toEqual([[-3.5, -5], [5.5, 7]]);
  });

  it.each(['linear', 'relu', 'sigmoid', 'tanh', 'elu', 'softmax', 'selu'] as const)(
    'matches tfjs-layers dense (activation %s) in outputs and gradients',
    (activation) => {
      const x = rng(2).normalTensor([4, 5]);
      const ours = new Dense({ units: 3, activation }).build([null, 5], rng(3));
      const ref = tfl.layers.dense({ units: 3, activation: activation as never, inputShape: [5] });
      ref.build([null, 5]);
      ref.setWeights([ours.kernel!, ours.bias!]);
      expect(compareTensors(ours.apply(x), ref.apply(x) as tf.Tensor)).toBeNull();
      const gOurs = tf.grad((t: tf.Tensor) => tf.sum(tf.square(ours.apply(t))))(x);
      const gRef = tf.grad((t: tf.Tensor) => tf.sum(tf.square(ref.apply(t) as tf.Tensor)))(x);
      expect(compareTensors(gOurs, gRef)).toBeNull();
      // Parameter gradients: tfjs-layers keeps its weights in tf.Variables too.
      const loss = (apply: (t: tf.Tensor) => tf.Tensor) => () => tf.sum(tf.square(apply(x))) as tf.Scalar;
      const refVars = ref.trainableWeights.map((w) => w.read() as tf.Variable);
      const gradsOurs = tf.variableGrads(loss((t) => ours.apply(t)), [ours.kernel!, ours.bias!]).grads;
      const gradsRef = tf.variableGrads(loss((t) => ref.apply(t) as tf.Tensor), refVars).grads;
      expect(compareTensors(gradsOurs[ours.kernel!.name]!, gradsRef[refVars[0]!.name]!)).toBeNull();
      expect(compareTensors(gradsOurs[ours.bias!.name]!, gradsRef[refVars[1]!.name]!)).toBeNull();
    },
  );

  it('has gradients that match finite differences (input, kernel, bias), rank 3 input', () => {
    const layer = new Dense({ units: 3, activation: 'gelu' }).build([null, 2, 4], rng(4));
    const x = rng(5).normalTensor([2, 2, 4]);
    expect(checkModuleGradients(layer, x)).toBeNull();
  });

  it('does not leak in inference or under a gradient', async () => {
    const layer = new Dense({ units: 3, activation: 'relu' }).build([null, 4], rng(1));
    const x = tf.ones([2, 4]);
    await expectNoLeaks(() => layer.apply(x).dispose(), 'Dense apply');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'Dense gradient');
  });

  it('names itself and the expected value in errors', () => {
    expect(() => new Dense({ units: 0, name: 'fc1' })).toThrowError(new ConfigError("Dense 'fc1': units expected a positive integer, got 0"));
    expect(() => new Dense({ units: 2, activation: 'nope' as never, name: 'fc1' })).toThrowError(/^Dense 'fc1': activation expected one of linear, relu/);
    const layer = new Dense({ units: 2, name: 'fc1' }).build([null, 784]);
    expect(() => layer.apply(tf.zeros([32, 28, 28]))).toThrowError(new ShapeError("Dense 'fc1': input axis -1 expected 784, got shape [32, 28, 28]"));
    expect(() => new Dense({ units: 2, name: 'fc2' }).build([null])).toThrowError(
      "Dense 'fc2': input expected rank >= 2 [batch, ..., features] with known features, got [null]",
    );
  });

  it('exposes the pure forward and shape functions', () => {
    expect(denseOutputShape([null, 7, 4], 2)).toEqual([null, 7, 2]);
    const y = dense(tf.ones([1, 2]), tf.ones([2, 3]), null, 'relu');
    expect(y.arraySync()).toEqual([[2, 2, 2]]);
  });
});

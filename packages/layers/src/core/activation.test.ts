import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Activation } from '@tensorloom/layers';
import type { ActivationName } from '@tensorloom/layers';
import { checkFunctionGradients, compareArrays, compareTensors } from '../internal/testing.js';

const x = rng(1).normalTensor([3, 5], 0, 2);

/** float64 references written from the definitions. */
const erf = (v: number): number => {
  // Abramowitz–Stegun 7.1.26 is too coarse for 1e-5; integrate the series instead.
  let sum = 0;
  let term = v;
  for (let n = 0; n < 60; n++) {
    sum += term / (2 * n + 1);
    term *= (-v * v) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
};
const REFERENCE: Partial<Record<ActivationName, (v: number) => number>> = {
  gelu: (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
  geluTanh: (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
  silu: (v) => v / (1 + Math.exp(-v)),
  swish: (v) => v / (1 + Math.exp(-v)),
  leakyRelu: (v) => (v >= 0 ? v : 0.2 * v),
  softsign: (v) => v / (1 + Math.abs(v)),
  softplus: (v) => Math.log1p(Math.exp(v)),
};

describe('Activation', () => {
  it.each(['relu', 'relu6', 'elu', 'selu', 'sigmoid', 'hardSigmoid', 'tanh', 'softmax', 'softplus', 'softsign', 'linear'] as const)(
    '%s matches tfjs-layers in values and gradients',
    (name) => {
      const ours = new Activation({ activation: name });
      const ref = tfl.layers.activation({ activation: name as never });
      expect(compareTensors(ours.apply(x), ref.apply(x) as tf.Tensor)).toBeNull();
      const g1 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(ours.apply(t), x)))(x);
      const g2 = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(ref.apply(t) as tf.Tensor, x)))(x);
      expect(compareTensors(g1, g2)).toBeNull();
    },
  );

  it('logSoftmax is log of softmax over the last axis', () => {
    const y = new Activation({ activation: 'logSoftmax' }).apply(x);
    expect(compareTensors(y, tf.log(tf.softmax(x)))).toBeNull();
  });

  it.each(Object.keys(REFERENCE) as ActivationName[])('%s matches a float64 reference and finite differences', (name) => {
    const layer = new Activation({ activation: name });
    const values = Array.from(x.dataSync());
    expect(compareArrays(layer.apply(x).dataSync(), values.map(REFERENCE[name]!), { atol: 1e-5, rtol: 1e-4 })).toBeNull();
    expect(checkFunctionGradients((t) => layer.apply(t), [x])).toBeNull();
  });

  it('keeps shapes, accepts functions, names bad activations, does not leak', async () => {
    const layer = new Activation({ activation: (t) => tf.mul(t, 2), name: 'double' });
    expect(layer.outputShape([null, 3, 2])).toEqual([null, 3, 2]);
    expect(layer.apply(tf.ones([1])).arraySync()).toEqual([2]);
    expect(() => new Activation({ activation: 'bogus' as never, name: 'act' })).toThrowError(/^Activation 'act': activation expected one of linear, relu, .*, got 'bogus'$/);
    const lin = new Activation({ activation: 'linear' });
    await expectNoLeaks(() => lin.apply(x).dispose());
    await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(new Activation({ activation: 'gelu' }).apply(t)))(x).dispose());
  });
});

import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { GRU, gru } from '@tensorloom/layers';
import { checkFunctionGradients, checkModuleGradients, compareArrays } from '../internal/testing.js';

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

describe('GRU', () => {
  it('computes one step by hand in both reset forms (units 1, features 1)', () => {
    // kernel [wz, wr, wh] = [1, -1, 2], recurrentKernel [uz, ur, uh] = [0.5, 0.5, 1], x = 1, h0 = 0.5.
    const kernel = tf.tensor([[1, -1, 2]]);
    const recurrentKernel = tf.tensor([[0.5, 0.5, 1]]);
    const h0 = 0.5;
    const z = sigmoid(1 + 0.5 * h0);
    const r = sigmoid(-1 + 0.5 * h0);
    // Reset before: ĥ = tanh(2 + (r·h)·1 + 0.1); reset after: ĥ = tanh(2 + 0.1 + r·(h·1 + 0.2)).
    const before = z * h0 + (1 - z) * Math.tanh(2 + r * h0 + 0.1);
    const after = z * h0 + (1 - z) * Math.tanh(2 + 0.1 + r * (h0 + 0.2));
    const x = tf.ones([1, 1, 1]);
    const initialState = [tf.fill([1, 1], h0)];
    const a = gru(x, { kernel, recurrentKernel, bias: tf.tensor([0, 0, 0.1]) }, { initialState }).output;
    const b = gru(x, { kernel, recurrentKernel, bias: tf.tensor([[0, 0, 0.1], [0, 0, 0.2]]) }, { initialState, resetAfter: true }).output;
    expect(compareArrays(a.dataSync(), [before], { atol: 1e-6, rtol: 0 })).toBeNull();
    expect(compareArrays(b.dataSync(), [after], { atol: 1e-6, rtol: 0 })).toBeNull();
  });

  it.each([false, true])('has gradients that match finite differences (resetAfter %s, input and every parameter)', (resetAfter) => {
    const layer = new GRU({ units: 3, resetAfter, returnSequences: true }).build([null, 3, 2], rng(1));
    layer.bias!.assign(rng(2).normalTensor(layer.bias!.shape, 0, 0.5));
    expect(checkModuleGradients(layer, rng(3).normalTensor([2, 3, 2]))).toBeNull();
  });

  it.each([false, true])('has gradients that match finite differences with a mask, goBackwards and an initial state (resetAfter %s)', (resetAfter) => {
    const x = rng(4).normalTensor([2, 4, 2]);
    const kernel = rng(5).normalTensor([2, 6], 0, 0.5);
    const recurrentKernel = rng(6).normalTensor([2, 6], 0, 0.5);
    const bias = rng(7).normalTensor(resetAfter ? [2, 6] : [6], 0, 0.5);
    const mask = tf.tensor([[1, 1, 0, 0], [1, 1, 1, 1]], [2, 4], 'bool');
    const f = (xs: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor, h0: tf.Tensor): tf.Tensor => {
      const { output, states } = gru(xs, { kernel: k, recurrentKernel: u, bias: b }, { mask, goBackwards: true, returnSequences: true, initialState: [h0], resetAfter });
      return tf.concat([tf.reshape(output, [2, -1]), states[0]!], 1);
    };
    expect(checkFunctionGradients(f, [x, kernel, recurrentKernel, bias, rng(8).normalTensor([2, 2], 0, 0.5)])).toBeNull();
  });

  it('shapes its bias by the reset form and names its parameters', () => {
    const before = new GRU({ units: 2 }).build([null, 3, 4], rng(1));
    const after = new GRU({ units: 2, resetAfter: true }).build([null, 3, 4], rng(1));
    expect([before.bias!.shape, after.bias!.shape]).toEqual([[6], [2, 6]]);
    expect(Object.keys(after.parameters())).toEqual(['kernel', 'recurrentKernel', 'bias']);
    expect([before.countParams().total, after.countParams().total]).toEqual([4 * 6 + 2 * 6 + 6, 4 * 6 + 2 * 6 + 12]);
    expect(before.stateNames).toEqual(['h']);
    expect([before.resetAfter, before.recurrentActivation]).toEqual([false, 'sigmoid']);
  });
});

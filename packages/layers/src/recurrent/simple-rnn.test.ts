import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { SimpleRNN, simpleRnn } from '@tensorloom/layers';
import { checkFunctionGradients, checkModuleGradients, compareArrays } from '../internal/testing.js';

describe('SimpleRNN', () => {
  it('computes h_t = x_t·W + h_{t-1}·U by hand (linear, units 1)', () => {
    // W = 1, U = 0.5: h1 = 1, h2 = 2 + 0.5 = 2.5, h3 = 3 + 1.25 = 4.25; backwards: 3, 3.5, 2.75.
    const layer = new SimpleRNN({ units: 1, activation: 'linear', useBias: false, returnSequences: true }).build([null, 3, 1]);
    layer.loadState({ kernel: tf.tensor([[1]]), recurrentKernel: tf.tensor([[0.5]]) });
    const x = tf.tensor([1, 2, 3], [1, 3, 1]);
    expect(Array.from(layer.apply(x).dataSync())).toEqual([1, 2.5, 4.25]);
    const { output } = simpleRnn(x, { kernel: tf.tensor([[1]]), recurrentKernel: tf.tensor([[0.5]]), bias: null }, { activation: 'linear', goBackwards: true, returnSequences: true });
    expect(Array.from(output.dataSync())).toEqual([3, 3.5, 2.75]);
    // tanh with a bias of 0.1: h1 = tanh(1.1), h2 = tanh(2.1 + 0.5·h1).
    const { output: last } = simpleRnn(tf.tensor([1, 2], [1, 2, 1]), { kernel: tf.tensor([[1]]), recurrentKernel: tf.tensor([[0.5]]), bias: tf.tensor([0.1]) });
    expect(compareArrays(last.dataSync(), [Math.tanh(2.1 + 0.5 * Math.tanh(1.1))], { atol: 1e-6, rtol: 0 })).toBeNull();
  });

  it('has gradients that match finite differences (input and every parameter)', () => {
    const layer = new SimpleRNN({ units: 3, returnSequences: true }).build([null, 4, 2], rng(1));
    layer.bias!.assign(rng(2).normalTensor([3], 0, 0.5));
    expect(checkModuleGradients(layer, rng(3).normalTensor([2, 4, 2]))).toBeNull();
  });

  it('has gradients that match finite differences with a mask, goBackwards and an initial state', () => {
    const mask = tf.tensor([[1, 1, 1, 0], [1, 0, 0, 0]], [2, 4], 'bool');
    const f = (xs: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor, h0: tf.Tensor): tf.Tensor => {
      const { output, states } = simpleRnn(xs, { kernel: k, recurrentKernel: u, bias: b }, { mask, goBackwards: true, returnSequences: true, initialState: [h0], activation: 'tanh' });
      return tf.concat([tf.reshape(output, [2, -1]), states[0]!], 1);
    };
    const inputs = [[2, 4, 2], [2, 3], [3, 3], [3], [2, 3]].map((s, i) => rng(10 + i).normalTensor(s, 0, 0.5));
    expect(checkFunctionGradients(f, inputs)).toBeNull();
  });

  it('has one gate: kernel [features, units], recurrentKernel [units, units]', () => {
    const layer = new SimpleRNN({ units: 4 }).build([null, 2, 3], rng(1));
    expect([layer.kernel!.shape, layer.recurrentKernel!.shape, layer.bias!.shape]).toEqual([[3, 4], [4, 4], [4]]);
    expect(layer.stateNames).toEqual(['h']);
  });
});

import { describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { LSTM, lstm } from '@tensorloom/layers';
import { checkFunctionGradients, checkModuleGradients, compareArrays } from '../internal/testing.js';

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

describe('LSTM', () => {
  it('computes one step by hand (units 1, features 1)', () => {
    // kernel [wi, wf, wc, wo] = [0.5, -0.5, 1, 2], bias [0, 1, 0, 0], x = 1, h = c = 0:
    // i = σ(0.5), f = σ(0.5), c' = i·tanh(1) (f·c = 0), o = σ(2), h' = o·tanh(c').
    const layer = new LSTM({ units: 1, returnState: true }).build([null, 1, 1]);
    layer.loadState({ kernel: tf.tensor([[0.5, -0.5, 1, 2]]), recurrentKernel: tf.zeros([1, 4]), bias: tf.tensor([0, 1, 0, 0]) });
    const [out, h, c] = layer.apply(tf.ones([1, 1, 1]));
    const c1 = sigmoid(0.5) * Math.tanh(1);
    const h1 = sigmoid(2) * Math.tanh(c1);
    expect(compareArrays(out!.dataSync(), [h1], { atol: 1e-6, rtol: 0 })).toBeNull();
    expect(compareArrays(h!.dataSync(), [h1], { atol: 1e-6, rtol: 0 })).toBeNull();
    expect(compareArrays(c!.dataSync(), [c1], { atol: 1e-6, rtol: 0 })).toBeNull();
    // A second step with the same input: f·c now contributes, and h feeds back through U = 0.
    const seq = new LSTM({ units: 1, returnSequences: true }).build([null, 2, 1]);
    seq.loadState(Object.fromEntries(Object.entries(layer.state()).map(([k, v]) => [k, v])));
    const c2 = sigmoid(0.5) * c1 + c1;
    const y = seq.apply(tf.ones([1, 2, 1])).dataSync();
    expect(compareArrays(y, [h1, sigmoid(2) * Math.tanh(c2)], { atol: 1e-6, rtol: 0 })).toBeNull();
  });

  it('has gradients that match finite differences (input and every parameter)', () => {
    const layer = new LSTM({ units: 3, returnSequences: true }).build([null, 3, 2], rng(1));
    layer.bias!.assign(rng(2).normalTensor([12], 0, 0.5));
    expect(checkModuleGradients(layer, rng(3).normalTensor([2, 3, 2]))).toBeNull();
  });

  it('has gradients that match finite differences with a mask, goBackwards and an initial state (functional form)', () => {
    const x = rng(4).normalTensor([2, 4, 2]);
    const kernel = rng(5).normalTensor([2, 8], 0, 0.5);
    const recurrentKernel = rng(6).normalTensor([2, 8], 0, 0.5);
    const bias = rng(7).normalTensor([8], 0, 0.5);
    const mask = tf.tensor([[1, 1, 1, 0], [1, 0, 0, 0]], [2, 4], 'bool');
    const f = (xs: tf.Tensor, k: tf.Tensor, u: tf.Tensor, b: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor): tf.Tensor => {
      const { output, states } = lstm(xs, { kernel: k, recurrentKernel: u, bias: b }, { mask, goBackwards: true, returnSequences: true, initialState: [h0, c0] });
      return tf.concat([tf.reshape(output, [2, -1]), ...states], 1); // outputs and both final states
    };
    const h0 = rng(8).normalTensor([2, 2], 0, 0.5);
    const c0 = rng(9).normalTensor([2, 2], 0, 0.5);
    expect(checkFunctionGradients(f, [x, kernel, recurrentKernel, bias, h0, c0])).toBeNull();
  });

  it('starts the forget-gate bias at one (unitForgetBias) and uses orthogonal recurrent kernels', () => {
    const layer = new LSTM({ units: 2 }).build([null, 3, 5], rng(1));
    expect(Array.from(layer.bias!.dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(new LSTM({ units: 2, unitForgetBias: false }).build([null, 3, 5]).bias!.dataSync())).toEqual(Array(8).fill(0));
    expect(Array.from(new LSTM({ units: 2, biasInitializer: 'ones' }).build([null, 3, 5]).bias!.dataSync())).toEqual(Array(8).fill(1));
    // recurrentKernel [2, 8]: orthonormal rows, so U·Uᵀ = I.
    const gram = tf.matMul(layer.recurrentKernel!, layer.recurrentKernel!, false, true);
    expect(compareArrays(gram.dataSync(), [1, 0, 0, 1], { atol: 1e-5, rtol: 0 })).toBeNull();
    // kernel [5, 8]: Glorot uniform bound √(6 / (5 + 8)).
    const bound = Math.sqrt(6 / 13);
    expect(Math.max(...Array.from(layer.kernel!.dataSync(), Math.abs))).toBeLessThanOrEqual(bound);
    expect(Object.keys(layer.parameters())).toEqual(['kernel', 'recurrentKernel', 'bias']);
    expect(layer.countParams().total).toBe(5 * 8 + 2 * 8 + 8);
    expect(layer.stateNames).toEqual(['h', 'c']);
  });

  it('copies its configuration with overrides (withConfig)', () => {
    const layer = new LSTM({ units: 4, recurrentActivation: 'hardSigmoid', unitForgetBias: false, name: 'enc' });
    const copy = layer.withConfig({ goBackwards: true, name: 'enc_back' });
    expect(copy).toBeInstanceOf(LSTM);
    expect([copy.name, copy.config.units, copy.config.goBackwards, copy.recurrentActivation, copy.unitForgetBias]).toEqual(['enc_back', 4, true, 'hardSigmoid', false]);
    expect(layer.config.goBackwards).toBe(false);
  });
});

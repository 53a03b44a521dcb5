import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Conv1D, conv1d, conv1dOutputShape } from '@tensorloom/layers';
import type { Conv1DConfig } from '@tensorloom/layers';
import { checkModuleGradients, compareArrays } from '../internal/testing.js';
import { compareWithReference } from './internal/parity.js';

function reference(config: Conv1DConfig): tfl.layers.Layer {
  return tfl.layers.conv1d({
    filters: config.filters,
    kernelSize: config.kernelSize as number,
    strides: config.strides as number | undefined,
    padding: config.padding as 'valid' | 'same' | undefined,
    dilationRate: config.dilationRate as number | undefined,
    activation: config.activation as never,
    useBias: config.useBias,
  });
}

/**
 * Float64 causal convolution from its definition (WaveNet eq. for one layer):
 * y[b, t, f] = bias[f] + Σ_i Σ_c x[b, t − (k − 1 − i)·d, c] · w[i, c, f], with x = 0 before t = 0.
 */
function causalReference(x: tf.Tensor, w: tf.Tensor, bias: tf.Tensor, d: number): Float64Array {
  const [B, T, C] = x.shape as [number, number, number];
  const [k, , F] = w.shape as [number, number, number];
  const xv = x.dataSync();
  const wv = w.dataSync();
  const bv = bias.dataSync();
  const y = new Float64Array(B * T * F);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < T; t++)
      for (let f = 0; f < F; f++) {
        let s = bv[f]!;
        for (let i = 0; i < k; i++) {
          const src = t - (k - 1 - i) * d;
          if (src < 0) continue;
          for (let c = 0; c < C; c++) s += xv[(b * T + src) * C + c]! * wv[(i * C + c) * F + f]!;
        }
        y[(b * T + t) * F + f] = s;
      }
  return y;
}

describe('Conv1D', () => {
  it.each([
    { input: [null, 10, 3], config: { filters: 4, kernelSize: 3 }, out: [null, 8, 4] },
    { input: [1, 10, 3], config: { filters: 4, kernelSize: 3, padding: 'same' }, out: [1, 10, 4] },
    { input: [2, 10, 3], config: { filters: 4, kernelSize: 3, strides: 3 }, out: [2, 3, 4] },
    { input: [2, 10, 3], config: { filters: 4, kernelSize: 3, strides: 3, padding: 'same' }, out: [2, 4, 4] },
    { input: [2, 10, 3], config: { filters: 4, kernelSize: [3], dilationRate: 2 }, out: [2, 6, 4] },
    { input: [2, 10, 3], config: { filters: 4, kernelSize: 3, padding: 'causal', dilationRate: 4 }, out: [2, 10, 4] },
    { input: [2, 10, 3], config: { filters: 4, kernelSize: 3, padding: 'causal', strides: 3 }, out: [2, 4, 4] },
    { input: [null, null, 3], config: { filters: 4, kernelSize: 3 }, out: [null, null, 4] },
  ] as { input: (number | null)[]; config: Conv1DConfig; out: (number | null)[] }[])('$config on $input → $out', ({ input, config, out }) => {
    const layer = new Conv1D(config).build(input, rng(1));
    expect(layer.outputShape(input)).toEqual(out);
    if (config.padding !== 'causal') expect(reference(config).computeOutputShape(input)).toEqual(out);
    if (input[1] !== null) {
      const y = layer.apply(tf.zeros(input.map((d) => d ?? 2)));
      expect(y.shape).toEqual(out.map((d) => d ?? 2));
      y.dispose();
    }
    layer.dispose();
  });

  it('computes a hand-checked moving sum', () => {
    // Kernel [1, 1, 1] sums 3 consecutive steps of 1, 2, 3, 4, 5 → 6, 9, 12; bias 1.
    const y = conv1d(tf.tensor3d([1, 2, 3, 4, 5], [1, 5, 1]), tf.ones([3, 1, 1]), tf.tensor1d([1]));
    expect(Array.from(y.dataSync())).toEqual([7, 10, 13]);
  });

  it.each([
    { filters: 3, kernelSize: 3 },
    { filters: 3, kernelSize: 2, strides: 2, padding: 'same', activation: 'relu' },
    { filters: 2, kernelSize: 3, padding: 'same', activation: 'tanh', useBias: false },
  ] as Conv1DConfig[])('matches tfjs-layers conv1d with the same weights: %o', (config) => {
    const layer = new Conv1D(config).build([null, 7, 2], rng(2));
    layer.bias?.assign(rng(3).normalTensor(layer.bias.shape));
    const x = rng(4).normalTensor([2, 7, 2]);
    const weights = layer.bias ? [layer.kernel!, layer.bias] : [layer.kernel!];
    expect(compareWithReference(layer, reference(config), x, weights)).toBeNull();
  });

  it('dilated: outputs match tfjs-layers (which cannot differentiate them), gradients match finite differences', () => {
    const config: Conv1DConfig = { filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same' };
    const layer = new Conv1D(config).build([null, 6, 2], rng(5));
    layer.bias!.assign(rng(6).normalTensor([2]));
    const x = rng(7).normalTensor([2, 6, 2]);
    expect(compareWithReference(layer, reference(config), x, [layer.kernel!, layer.bias!], { gradients: false })).toBeNull();
    expect(checkModuleGradients(layer, x.slice([0, 0, 0], [1, 6, 2]))).toBeNull();
  });

  it.each([1, 2])('causal padding (dilation %i) matches a float64 reference and never looks ahead', (d) => {
    const layer = new Conv1D({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: d }).build([null, 7, 2], rng(8));
    layer.bias!.assign(rng(9).normalTensor([2]));
    const x = rng(10).normalTensor([2, 7, 2]);
    const y = layer.apply(x);
    expect(compareArrays(y.dataSync(), causalReference(x, layer.kernel!, layer.bias!, d))).toBeNull();
    // Changing the last step changes only the last output step.
    const x2 = tf.concat([x.slice([0, 0, 0], [2, 6, 2]), tf.fill([2, 1, 2], 9)], 1);
    const y2 = layer.apply(x2);
    expect(compareArrays(y2.slice([0, 0, 0], [2, 6, 2]).dataSync(), y.slice([0, 0, 0], [2, 6, 2]).dataSync(), { atol: 0, rtol: 0 })).toBeNull();
    expect(compareArrays(y2.slice([0, 6, 0], [2, 1, 2]).dataSync(), y.slice([0, 6, 0], [2, 1, 2]).dataSync())).not.toBeNull();
  });

  it('has gradients that match finite differences (causal, tanh)', () => {
    const layer = new Conv1D({ filters: 2, kernelSize: 3, padding: 'causal', activation: 'tanh' }).build([null, 5, 2], rng(11));
    expect(checkModuleGradients(layer, rng(12).normalTensor([1, 5, 2]))).toBeNull();
  });

  it('drops masks and does not leak', async () => {
    const layer = new Conv1D({ filters: 2, kernelSize: 2, padding: 'causal', dilationRate: 2 }).build([null, 5, 2], rng(1));
    const x = tf.ones([1, 5, 2]);
    expect(layer.computeMask()).toBeNull();
    await expectNoLeaks(() => layer.apply(x).dispose(), 'Conv1D apply');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'Conv1D gradient');
  });

  it('names itself, the argument and the expected value in errors', () => {
    const c = (config: Partial<Conv1DConfig>) => () => new Conv1D({ filters: 2, kernelSize: 3, name: 'c1', ...config });
    expect(c({ kernelSize: [3, 3] as never })).toThrowError(new ConfigError("Conv1D 'c1': kernelSize expected a positive integer, got [3,3]"));
    expect(c({ padding: 'full' as never })).toThrowError(new ConfigError("Conv1D 'c1': padding expected 'valid', 'same' or 'causal', got 'full'"));
    expect(c({ strides: 2, dilationRate: 2 })).toThrowError(/^Conv1D 'c1': strides and dilationRate expected one of them to be all 1s, got strides 2 and dilationRate 2/);
    const layer = c({})().build([null, 10, 4]);
    expect(() => layer.apply(tf.zeros([10, 4]))).toThrowError(new ShapeError("Conv1D 'c1': input must be rank 3 [batch, time, features], got [10, 4]"));
    expect(() => layer.apply(tf.zeros([1, 10, 3]))).toThrowError(new ShapeError("Conv1D 'c1': input axis 2 expected 4, got shape [1, 10, 3]"));
    expect(() => layer.apply(tf.zeros([1, 2, 4]))).toThrowError(
      new ShapeError("Conv1D 'c1': input axis 1 expected >= 3 (kernel 3 with padding 'valid'), got shape [1, 2, 4]"),
    );
    expect(() => conv1dOutputShape([null, 4], { filters: 1, kernelSize: 2 })).toThrowError(
      new ShapeError('conv1d: input must be rank 3 [batch, time, features], got [null, 4]'),
    );
  });
});

import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Conv2D, conv2d, conv2dOutputShape, l2 } from '@tensorloom/layers';
import type { Conv2DConfig } from '@tensorloom/layers';
import { checkModuleGradients, compareTensors } from '../internal/testing.js';
import { compareWithReference, explicitDilatedKernel } from './internal/parity.js';

/** The tfjs-layers twin of a config (tfjs-layers calls kernel initialisers differently; weights are copied anyway). */
function reference(config: Conv2DConfig): tfl.layers.Layer {
  return tfl.layers.conv2d({
    filters: config.filters,
    kernelSize: config.kernelSize as number | number[],
    strides: config.strides as number | number[] | undefined,
    padding: config.padding,
    dilationRate: config.dilationRate as number | [number, number] | undefined,
    activation: config.activation as never,
    useBias: config.useBias,
  });
}

describe('Conv2D', () => {
  it.each([
    { input: [null, 7, 7, 2], config: { filters: 3, kernelSize: 3 }, out: [null, 5, 5, 3] },
    { input: [1, 7, 7, 2], config: { filters: 3, kernelSize: 3 }, out: [1, 5, 5, 3] },
    { input: [2, 7, 7, 2], config: { filters: 3, kernelSize: 3, padding: 'same' }, out: [2, 7, 7, 3] },
    { input: [2, 7, 8, 2], config: { filters: 1, kernelSize: 3, strides: 2 }, out: [2, 3, 3, 1] },
    { input: [2, 7, 8, 2], config: { filters: 1, kernelSize: 3, strides: 2, padding: 'same' }, out: [2, 4, 4, 1] },
    { input: [1, 7, 8, 2], config: { filters: 2, kernelSize: [2, 3], strides: [1, 3], padding: 'valid' }, out: [1, 6, 2, 2] },
    { input: [1, 9, 9, 1], config: { filters: 2, kernelSize: 3, dilationRate: 2 }, out: [1, 5, 5, 2] },
    { input: [1, 9, 8, 1], config: { filters: 2, kernelSize: 3, dilationRate: [2, 3], padding: 'same' }, out: [1, 9, 8, 2] },
    { input: [1, 6, 7, 1], config: { filters: 2, kernelSize: [2, 3], dilationRate: [3, 2] }, out: [1, 3, 3, 2] },
    { input: [null, null, null, 2], config: { filters: 4, kernelSize: 3, strides: 2 }, out: [null, null, null, 4] },
  ] as { input: (number | null)[]; config: Conv2DConfig; out: (number | null)[] }[])(
    '$config on $input → $out (matches tfjs-layers and a real apply)',
    ({ input, config, out }) => {
      const layer = new Conv2D(config).build(input, rng(1));
      expect(layer.outputShape(input)).toEqual(out);
      expect(reference(config).computeOutputShape(input)).toEqual(out);
      if (input.slice(1).every((d) => d !== null)) {
        const y = layer.apply(tf.zeros(input.map((d) => d ?? 2)));
        expect(y.shape).toEqual(out.map((d) => d ?? 2));
        y.dispose();
      }
      layer.dispose();
    },
  );

  it('computes hand-checked values (valid, bias; dilation 2)', () => {
    // x = 1..9 in a 3×3 image; a 2×2 kernel of ones sums each 2×2 window.
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const y = conv2d(x, tf.ones([2, 2, 1, 1]), tf.tensor1d([0.5]));
    expect(Array.from(y.dataSync())).toEqual([12.5, 16.5, 24.5, 28.5]);
    // x[r, c] = 5r + c on 5×5; dilation 2 taps (i, j), (i, j+2), (i+2, j), (i+2, j+2): sum = 20i + 4j + 24.
    const x5 = tf.tensor4d(Array.from({ length: 25 }, (_, k) => k), [1, 5, 5, 1]);
    const yd = conv2d(x5, tf.ones([2, 2, 1, 1]), null, { dilationRate: 2 });
    expect(yd.shape).toEqual([1, 3, 3, 1]);
    expect(Array.from(yd.dataSync())).toEqual([24, 28, 32, 44, 48, 52, 64, 68, 72]);
  });

  it.each([
    { filters: 3, kernelSize: 3 },
    { filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' },
    { filters: 2, kernelSize: [2, 3], strides: [1, 2], padding: 'same', activation: 'tanh' },
    { filters: 2, kernelSize: 2, padding: 'valid', activation: 'elu', useBias: false },
    { filters: 2, kernelSize: 3, padding: 'same', activation: 'sigmoid' },
  ] as Conv2DConfig[])('matches tfjs-layers conv2d with the same weights: %o', (config) => {
    const layer = new Conv2D(config).build([null, 5, 6, 2], rng(2));
    layer.bias?.assign(rng(3).normalTensor(layer.bias.shape)); // a non-zero bias
    const x = rng(4).normalTensor([2, 5, 6, 2]);
    const weights = layer.bias ? [layer.kernel!, layer.bias] : [layer.kernel!];
    expect(compareWithReference(layer, reference(config), x, weights)).toBeNull();
  });

  it.each([
    { filters: 2, kernelSize: 3, dilationRate: 2 },
    { filters: 2, kernelSize: [2, 3], dilationRate: [3, 2], padding: 'same', activation: 'relu' },
    { filters: 2, kernelSize: 2, dilationRate: [1, 2], padding: 'same', activation: 'tanh' },
  ] as Conv2DConfig[])('dilated %o: outputs match tfjs-layers, gradients match an explicit zero-filled kernel', (config) => {
    const layer = new Conv2D(config).build([null, 7, 6, 2], rng(5));
    layer.bias!.assign(rng(6).normalTensor(layer.bias!.shape));
    const x = rng(7).normalTensor([2, 7, 6, 2]);
    // tfjs-layers runs tf.conv2d with dilations, which has no gradient in tfjs-core 4.22.
    expect(compareWithReference(layer, reference(config), x, [layer.kernel!, layer.bias!], { gradients: false })).toBeNull();
    const d = layer.config.dilationRate;
    const act = { relu: tf.relu, tanh: tf.tanh, linear: (t: tf.Tensor) => t }[(config.activation ?? 'linear') as 'relu' | 'tanh' | 'linear'];
    const explicit = (t: tf.Tensor) =>
      act(tf.add(tf.conv2d(t as tf.Tensor4D, explicitDilatedKernel(layer.kernel!, d), 1, config.padding ?? 'valid'), layer.bias!));
    const r = rng(8).normalTensor(layer.outputShape([2, 7, 6, 2]) as number[]);
    const loss = (f: (t: tf.Tensor) => tf.Tensor) => () => tf.sum(tf.mul(f(x), r)) as tf.Scalar;
    const ours = tf.variableGrads(loss((t) => layer.apply(t)), [layer.kernel!, layer.bias!]).grads;
    const ref = tf.variableGrads(loss(explicit), [layer.kernel!, layer.bias!]).grads;
    expect(compareTensors(ours[layer.kernel!.name]!, ref[layer.kernel!.name]!)).toBeNull();
    expect(compareTensors(ours[layer.bias!.name]!, ref[layer.bias!.name]!)).toBeNull();
    const dx = (f: (t: tf.Tensor) => tf.Tensor) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), r)))(x);
    expect(compareTensors(dx((t) => layer.apply(t)), dx(explicit))).toBeNull();
  });

  it.each([
    { filters: 2, kernelSize: 3, padding: 'same', activation: 'tanh' },
    { filters: 2, kernelSize: 2, strides: 2, padding: 'valid' },
    { filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'relu' },
  ] as Conv2DConfig[])('has gradients that match finite differences (input, kernel, bias): %o', (config) => {
    const layer = new Conv2D(config).build([null, 4, 5, 2], rng(9));
    const x = rng(10).normalTensor([1, 4, 5, 2]);
    expect(checkModuleGradients(layer, x)).toBeNull();
  });

  it('adds its kernel and bias penalties to regularizationLoss', () => {
    const layer = new Conv2D({ filters: 1, kernelSize: 1, kernelRegularizer: l2(0.5), biasRegularizer: l2(1) }).build([null, 2, 2, 2]);
    layer.loadState({ kernel: tf.tensor4d([1, 2], [1, 1, 2, 1]), bias: tf.tensor1d([3]) });
    // 0.5·(1² + 2²) + 1·3² = 11.5
    expect(layer.regularizationLoss().dataSync()[0]).toBeCloseTo(11.5, 5);
  });

  it('does not leak in inference or under a gradient (plain and dilated)', async () => {
    for (const config of [{ filters: 2, kernelSize: 3, activation: 'relu' }, { filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same' }] as Conv2DConfig[]) {
      const layer = new Conv2D(config).build([null, 5, 5, 2], rng(1));
      const x = tf.ones([1, 5, 5, 2]);
      await expectNoLeaks(() => layer.apply(x).dispose(), 'Conv2D apply');
      await expectNoLeaks(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar);
        tf.dispose([value, grads]);
      }, 'Conv2D gradient');
      x.dispose();
      layer.dispose();
    }
  });

  it('names itself, the argument and the expected value in errors', () => {
    const c = (config: Partial<Conv2DConfig>) => () => new Conv2D({ filters: 2, kernelSize: 3, name: 'conv1', ...config });
    expect(c({ filters: 0 })).toThrowError(new ConfigError("Conv2D 'conv1': filters expected a positive integer, got 0"));
    expect(c({ kernelSize: [3] as never })).toThrowError(
      new ConfigError("Conv2D 'conv1': kernelSize expected a positive integer or [h, w] of positive integers, got [3]"),
    );
    expect(c({ strides: 0 })).toThrowError(new ConfigError("Conv2D 'conv1': strides expected a positive integer or [h, w] of positive integers, got 0"));
    expect(c({ padding: 'full' as never })).toThrowError(new ConfigError("Conv2D 'conv1': padding expected 'valid' or 'same', got 'full'"));
    expect(c({ activation: 'nope' as never })).toThrowError(/^Conv2D 'conv1': activation expected one of linear, relu/);
    expect(c({ strides: 2, dilationRate: [1, 2] })).toThrowError(
      new ConfigError("Conv2D 'conv1': strides and dilationRate expected one of them to be all 1s, got strides [2, 2] and dilationRate [1, 2]", {
        help: 'tfjs cannot stride a dilated convolution; use strides 1 and downsample afterwards (e.g. with a pooling layer)',
      }),
    );
    const layer = c({})().build([null, 28, 28, 3]);
    expect(() => layer.apply(tf.zeros([28, 28]))).toThrowError(new ShapeError("Conv2D 'conv1': input must be rank 4 [batch, h, w, c], got [28, 28]"));
    expect(() => layer.apply(tf.zeros([2, 8, 8, 1]))).toThrowError(new ShapeError("Conv2D 'conv1': input axis 3 expected 3, got shape [2, 8, 8, 1]"));
    expect(() => layer.apply(tf.zeros([2, 2, 9, 3]))).toThrowError(
      new ShapeError("Conv2D 'conv1': input axis 1 expected >= 3 (kernel 3 with padding 'valid'), got shape [2, 2, 9, 3]"),
    );
    expect(() => c({ dilationRate: 3 })().build([null, 6, 6, 1])).toThrowError(
      new ShapeError("Conv2D 'conv1': input axis 1 expected >= 7 (kernel 3 dilated by 3 with padding 'valid'), got shape [null, 6, 6, 1]"),
    );
    expect(() => c({})().build([null, 28, 28, null])).toThrowError(
      new ShapeError("Conv2D 'conv1': input axis 3 (channels) expected a known size, got [null, 28, 28, null]"),
    );
    expect(() => conv2dOutputShape([null, 28, 28], { filters: 1, kernelSize: 3 })).toThrowError(
      new ShapeError('conv2d: input must be rank 4 [batch, h, w, c], got [null, 28, 28]'),
    );
  });
});

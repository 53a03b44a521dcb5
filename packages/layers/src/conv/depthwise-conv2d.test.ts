import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { DepthwiseConv2D, depthwiseConv2d, depthwiseConv2dOutputShape } from '@tensorloom/layers';
import type { DepthwiseConv2DConfig } from '@tensorloom/layers';
import { checkModuleGradients, compareTensors } from '../internal/testing.js';
import { compareWithReference, explicitDilatedKernel } from './internal/parity.js';

function reference(config: DepthwiseConv2DConfig): tfl.layers.Layer {
  return tfl.layers.depthwiseConv2d({
    kernelSize: config.kernelSize as number | [number, number],
    depthMultiplier: config.depthMultiplier,
    strides: config.strides as number | number[] | undefined,
    padding: config.padding,
    dilationRate: config.dilationRate as number | [number, number] | undefined,
    activation: config.activation as never,
    useBias: config.useBias,
  });
}

describe('DepthwiseConv2D', () => {
  it.each([
    { input: [null, 7, 7, 3], config: { kernelSize: 3 }, out: [null, 5, 5, 3] },
    { input: [1, 7, 7, 3], config: { kernelSize: 3, depthMultiplier: 2, padding: 'same' }, out: [1, 7, 7, 6] },
    { input: [2, 7, 8, 2], config: { kernelSize: [2, 3], strides: [2, 3] }, out: [2, 3, 2, 2] },
    { input: [2, 7, 8, 2], config: { kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 3 }, out: [2, 4, 4, 6] },
    { input: [1, 9, 9, 1], config: { kernelSize: 3, dilationRate: [2, 3] }, out: [1, 5, 3, 1] },
    { input: [null, null, null, 4], config: { kernelSize: 3, depthMultiplier: 2 }, out: [null, null, null, 8] },
  ] as { input: (number | null)[]; config: DepthwiseConv2DConfig; out: (number | null)[] }[])(
    '$config on $input → $out',
    ({ input, config, out }) => {
      const layer = new DepthwiseConv2D(config).build(input, rng(1));
      expect(layer.outputShape(input)).toEqual(out);
      // tfjs-layers ignores dilationRate in depthwiseConv2d (its shape and its output).
      if (config.dilationRate === undefined) expect(reference(config).computeOutputShape(input)).toEqual(out);
      if (input[1] !== null) {
        const y = layer.apply(tf.zeros(input.map((d) => d ?? 2)));
        expect(y.shape).toEqual(out.map((d) => d ?? 2));
        y.dispose();
      }
      layer.dispose();
    },
  );

  it('keeps channels apart: channel c·M + m comes from input channel c, filter m (hand-checked)', () => {
    // Two input channels (1s and 10s); multiplier 2 with 1×1 kernels [[a, b], [c, d]] = [[1, 2], [3, 4]].
    const x = tf.stack([tf.ones([1, 2, 2]), tf.fill([1, 2, 2], 10)], 3); // (1, 2, 2, 2)
    const y = depthwiseConv2d(x, tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]), tf.tensor1d([0, 0, 0, 0.5]));
    expect(Array.from(y.slice([0, 0, 0, 0], [1, 1, 1, 4]).dataSync())).toEqual([1, 2, 30, 40.5]);
  });

  it.each([
    { kernelSize: 3 },
    { kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu' },
    { kernelSize: [2, 3], strides: [1, 2], padding: 'same', activation: 'tanh', useBias: false },
  ] as DepthwiseConv2DConfig[])('matches tfjs-layers depthwiseConv2d with the same weights: %o', (config) => {
    const layer = new DepthwiseConv2D(config).build([null, 5, 6, 2], rng(2));
    layer.bias?.assign(rng(3).normalTensor(layer.bias.shape));
    const x = rng(4).normalTensor([2, 5, 6, 2]);
    const weights = layer.bias ? [layer.depthwiseKernel!, layer.bias] : [layer.depthwiseKernel!];
    expect(compareWithReference(layer, reference(config), x, weights)).toBeNull();
  });

  it.each([
    { kernelSize: 3, dilationRate: 2, depthMultiplier: 2 },
    { kernelSize: [2, 3], dilationRate: [3, 1], padding: 'same', activation: 'relu' },
  ] as DepthwiseConv2DConfig[])(
    'dilated %o: matches tf.depthwiseConv2d with dilations, and an explicit zero-filled kernel in gradients',
    (config) => {
      // tfjs-layers ignores dilationRate in depthwiseConv2d ("TODO: Add support for dilation"),
      // so the references are tfjs-core's dilated op (forward only) and the explicit kernel.
      const layer = new DepthwiseConv2D(config).build([null, 7, 6, 2], rng(5));
      layer.bias!.assign(rng(6).normalTensor(layer.bias!.shape));
      const x = rng(7).normalTensor([2, 7, 6, 2]) as tf.Tensor4D;
      const k = layer.depthwiseKernel! as tf.Tensor as tf.Tensor4D;
      const d = layer.config.dilationRate;
      const act = config.activation === 'relu' ? tf.relu : (t: tf.Tensor) => t;
      const pad = config.padding ?? 'valid';
      const core = act(tf.add(tf.depthwiseConv2d(x, k, 1, pad, 'NHWC', d), layer.bias!));
      expect(compareTensors(layer.apply(x), core)).toBeNull();
      const explicit = (t: tf.Tensor) => act(tf.add(tf.depthwiseConv2d(t as tf.Tensor4D, explicitDilatedKernel(k, d), 1, pad), layer.bias!));
      const r = rng(8).normalTensor(core.shape);
      const loss = (f: (t: tf.Tensor) => tf.Tensor) => () => tf.sum(tf.mul(f(x), r)) as tf.Scalar;
      const params = [layer.depthwiseKernel!, layer.bias!];
      const ours = tf.variableGrads(loss((t) => layer.apply(t)), params).grads;
      const ref = tf.variableGrads(loss(explicit), params).grads;
      for (const p of params) expect(compareTensors(ours[p.name]!, ref[p.name]!)).toBeNull();
      const dx = (f: (t: tf.Tensor) => tf.Tensor) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), r)))(x);
      expect(compareTensors(dx((t) => layer.apply(t)), dx(explicit))).toBeNull();
    },
  );

  it.each([
    { kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'tanh' },
    { kernelSize: 2, dilationRate: 2, padding: 'same' },
  ] as DepthwiseConv2DConfig[])('has gradients that match finite differences: %o', (config) => {
    const layer = new DepthwiseConv2D(config).build([null, 4, 5, 2], rng(9));
    layer.bias!.assign(rng(10).normalTensor(layer.bias!.shape));
    expect(checkModuleGradients(layer, rng(11).normalTensor([1, 4, 5, 2]))).toBeNull();
  });

  it('does not leak in inference or under a gradient (dilated)', async () => {
    const layer = new DepthwiseConv2D({ kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'relu' }).build([null, 5, 5, 2], rng(1));
    const x = tf.ones([1, 5, 5, 2]);
    await expectNoLeaks(() => layer.apply(x).dispose(), 'DepthwiseConv2D apply');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'DepthwiseConv2D gradient');
  });

  it('names itself, the argument and the expected value in errors', () => {
    const c = (config: Partial<DepthwiseConv2DConfig>) => () => new DepthwiseConv2D({ kernelSize: 3, name: 'dw', ...config });
    expect(c({ depthMultiplier: 1.5 })).toThrowError(new ConfigError("DepthwiseConv2D 'dw': depthMultiplier expected a positive integer, got 1.5"));
    expect(c({ strides: [1, 2], dilationRate: 2 })).toThrowError(
      new ConfigError("DepthwiseConv2D 'dw': strides and dilationRate expected one of them to be all 1s, got strides [1, 2] and dilationRate [2, 2]", {
        help: 'tfjs cannot stride a dilated convolution; use strides 1 and downsample afterwards (e.g. with a pooling layer)',
      }),
    );
    const layer = c({})().build([null, 8, 8, 3]);
    expect(() => layer.apply(tf.zeros([8, 8, 3]))).toThrowError(new ShapeError("DepthwiseConv2D 'dw': input must be rank 4 [batch, h, w, c], got [8, 8, 3]"));
    expect(() => layer.apply(tf.zeros([1, 8, 8, 2]))).toThrowError(new ShapeError("DepthwiseConv2D 'dw': input axis 3 expected 3, got shape [1, 8, 8, 2]"));
    expect(() => layer.apply(tf.zeros([1, 8, 2, 3]))).toThrowError(
      new ShapeError("DepthwiseConv2D 'dw': input axis 2 expected >= 3 (kernel 3 with padding 'valid'), got shape [1, 8, 2, 3]"),
    );
    expect(() => depthwiseConv2dOutputShape([null, 4, 4, 1], { kernelSize: 3, dilationRate: 2 })).toThrowError(
      new ShapeError("depthwiseConv2d: input axis 1 expected >= 5 (kernel 3 dilated by 2 with padding 'valid'), got shape [null, 4, 4, 1]"),
    );
  });
});

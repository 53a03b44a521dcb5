import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { SeparableConv2D, separableConv2d } from '@tensorloom/layers';
import type { SeparableConv2DConfig } from '@tensorloom/layers';
import { checkModuleGradients, compareTensors } from '../internal/testing.js';
import { compareWithReference } from './internal/parity.js';

function reference(config: SeparableConv2DConfig): tfl.layers.Layer {
  return tfl.layers.separableConv2d({
    filters: config.filters,
    kernelSize: config.kernelSize as number | number[],
    depthMultiplier: config.depthMultiplier,
    strides: config.strides as number | number[] | undefined,
    padding: config.padding,
    dilationRate: config.dilationRate as number | [number, number] | undefined,
    activation: config.activation as never,
    useBias: config.useBias,
  });
}

describe('SeparableConv2D', () => {
  it.each([
    { input: [null, 7, 7, 3], config: { filters: 4, kernelSize: 3 }, out: [null, 5, 5, 4] },
    { input: [1, 7, 7, 3], config: { filters: 4, kernelSize: 3, depthMultiplier: 2, padding: 'same' }, out: [1, 7, 7, 4] },
    { input: [2, 7, 8, 2], config: { filters: 1, kernelSize: [2, 3], strides: [2, 3] }, out: [2, 3, 2, 1] },
    { input: [1, 9, 9, 1], config: { filters: 2, kernelSize: 3, dilationRate: 2 }, out: [1, 5, 5, 2] },
  ] as { input: (number | null)[]; config: SeparableConv2DConfig; out: (number | null)[] }[])('$config on $input → $out', ({ input, config, out }) => {
    const layer = new SeparableConv2D(config).build(input, rng(1));
    expect(layer.outputShape(input)).toEqual(out);
    expect(reference(config).computeOutputShape(input)).toEqual(out);
    const y = layer.apply(tf.zeros(input.map((d) => d ?? 2)));
    expect(y.shape).toEqual(out.map((d) => d ?? 2));
    y.dispose();
    layer.dispose();
  });

  it('is a depthwise then a pointwise convolution (hand-checked)', () => {
    // Depthwise 1×1 ×2 and ×3 on channels of 1s; pointwise sums them: 2 + 3 = 5, plus bias 1.
    const y = separableConv2d(tf.ones([1, 2, 2, 2]), tf.tensor4d([2, 3], [1, 1, 2, 1]), tf.ones([1, 1, 2, 1]), tf.tensor1d([1]));
    expect(Array.from(y.dataSync())).toEqual([6, 6, 6, 6]);
  });

  it.each([
    { filters: 3, kernelSize: 3 },
    { filters: 3, kernelSize: 3, depthMultiplier: 2, strides: 2, padding: 'same', activation: 'relu' },
    { filters: 2, kernelSize: [2, 3], padding: 'same', activation: 'tanh', useBias: false },
  ] as SeparableConv2DConfig[])('matches tfjs-layers separableConv2d with the same weights: %o', (config) => {
    const layer = new SeparableConv2D(config).build([null, 5, 6, 2], rng(2));
    layer.bias?.assign(rng(3).normalTensor(layer.bias.shape));
    const x = rng(4).normalTensor([2, 5, 6, 2]);
    const weights = [layer.depthwiseKernel!, layer.pointwiseKernel!, ...(layer.bias ? [layer.bias] : [])];
    expect(compareWithReference(layer, reference(config), x, weights)).toBeNull();
  });

  it('dilated: outputs match tfjs-layers (which cannot differentiate them), gradients match finite differences', () => {
    const config: SeparableConv2DConfig = { filters: 2, kernelSize: 2, dilationRate: 2, padding: 'same', activation: 'tanh' };
    const layer = new SeparableConv2D(config).build([null, 4, 5, 2], rng(5));
    layer.bias!.assign(rng(6).normalTensor([2]));
    const x = rng(7).normalTensor([1, 4, 5, 2]);
    expect(compareWithReference(layer, reference(config), x, [layer.depthwiseKernel!, layer.pointwiseKernel!, layer.bias!], { gradients: false })).toBeNull();
    expect(checkModuleGradients(layer, x)).toBeNull();
  });

  it('has parameters named for checkpoints and does not leak', async () => {
    const layer = new SeparableConv2D({ filters: 2, kernelSize: 3, depthMultiplier: 2, name: 'sep' }).build([null, 5, 5, 3], rng(1));
    expect(Object.fromEntries(Object.entries(layer.parameters()).map(([k, v]) => [k, v.shape]))).toEqual({
      depthwiseKernel: [3, 3, 3, 2],
      pointwiseKernel: [1, 1, 6, 2],
      bias: [2],
    });
    const x = tf.ones([1, 5, 5, 3]);
    await expectNoLeaks(() => layer.apply(x).dispose(), 'SeparableConv2D apply');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'SeparableConv2D gradient');
    expect(compareTensors(layer.apply(x), separableConv2d(x, layer.depthwiseKernel!, layer.pointwiseKernel!, layer.bias))).toBeNull();
  });

  it('names itself, the argument and the expected value in errors', () => {
    const c = (config: Partial<SeparableConv2DConfig>) => () => new SeparableConv2D({ filters: 2, kernelSize: 3, name: 'sep', ...config });
    expect(c({ filters: -1 })).toThrowError(new ConfigError("SeparableConv2D 'sep': filters expected a positive integer, got -1"));
    expect(c({ depthMultiplier: 0 })).toThrowError(new ConfigError("SeparableConv2D 'sep': depthMultiplier expected a positive integer, got 0"));
    expect(c({ strides: 2, dilationRate: 2 })).toThrowError(/^SeparableConv2D 'sep': strides and dilationRate expected one of them to be all 1s/);
    const layer = c({})().build([null, 8, 8, 3]);
    expect(() => layer.apply(tf.zeros([1, 8, 8]))).toThrowError(new ShapeError("SeparableConv2D 'sep': input must be rank 4 [batch, h, w, c], got [1, 8, 8]"));
    expect(() => layer.apply(tf.zeros([1, 8, 8, 4]))).toThrowError(new ShapeError("SeparableConv2D 'sep': input axis 3 expected 3, got shape [1, 8, 8, 4]"));
  });
});

import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Conv2DTranspose, conv2dOutputShape, conv2dTranspose, conv2dTransposeOutputShape } from '@tensorloom/layers';
import type { Conv2DTransposeConfig } from '@tensorloom/layers';
import { checkModuleGradients, compareArrays } from '../internal/testing.js';
import { compareWithReference } from './internal/parity.js';

function reference(config: Conv2DTransposeConfig): tfl.layers.Layer {
  return tfl.layers.conv2dTranspose({
    filters: config.filters,
    kernelSize: config.kernelSize as number | number[],
    strides: config.strides as number | number[] | undefined,
    padding: config.padding,
    activation: config.activation as never,
    useBias: config.useBias,
  });
}

/**
 * Float64 transposed convolution by scattering: input pixel (i, j) adds x·K[a, c, f, :] at
 * output (i·s + a − top, j·s + c − left), where top/left is the 'same' padding TensorFlow
 * picks for the forward convolution from the output size back to the input size (0 for 'valid').
 */
function scatterReference(x: tf.Tensor, k: tf.Tensor, bias: tf.Tensor, out: number[], strides: [number, number], padding: string): Float64Array {
  const [B, H, W, C] = x.shape as number[] as [number, number, number, number];
  const [kh, kw, F] = k.shape as number[] as [number, number, number];
  const [, OH, OW] = out as [number, number, number];
  const padBefore = (n: number, o: number, kk: number, s: number) => (padding === 'same' ? Math.floor(Math.max((n - 1) * s + kk - o, 0) / 2) : 0);
  const top = padBefore(H, OH, kh, strides[0]);
  const left = padBefore(W, OW, kw, strides[1]);
  const xv = x.dataSync();
  const kv = k.dataSync();
  const bv = bias.dataSync();
  const y = new Float64Array(B * OH * OW * F);
  for (let b = 0; b < B; b++)
    for (let p = 0; p < OH; p++) for (let q = 0; q < OW; q++) for (let f = 0; f < F; f++) y[((b * OH + p) * OW + q) * F + f] = bv[f]!;
  for (let b = 0; b < B; b++)
    for (let i = 0; i < H; i++)
      for (let j = 0; j < W; j++)
        for (let a = 0; a < kh; a++)
          for (let c = 0; c < kw; c++) {
            const p = i * strides[0] + a - top;
            const q = j * strides[1] + c - left;
            if (p < 0 || p >= OH || q < 0 || q >= OW) continue;
            for (let f = 0; f < F; f++)
              for (let ch = 0; ch < C; ch++) y[((b * OH + p) * OW + q) * F + f] += xv[((b * H + i) * W + j) * C + ch]! * kv[((a * kw + c) * F + f) * C + ch]!;
          }
  return y;
}

describe('Conv2DTranspose', () => {
  it.each([
    { input: [null, 4, 4, 2], config: { filters: 3, kernelSize: 3 }, out: [null, 6, 6, 3] },
    { input: [1, 4, 4, 2], config: { filters: 3, kernelSize: 3, strides: 2 }, out: [1, 9, 9, 3] },
    { input: [2, 4, 5, 2], config: { filters: 1, kernelSize: 3, strides: 2, padding: 'same' }, out: [2, 8, 10, 1] },
    { input: [2, 4, 5, 2], config: { filters: 1, kernelSize: [2, 1], strides: [2, 3] }, out: [2, 8, 15, 1] },
    { input: [2, 4, 5, 2], config: { filters: 1, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 0 }, out: [2, 7, 9, 1] },
    { input: [2, 4, 5, 2], config: { filters: 1, kernelSize: 4, strides: 2, padding: 'same', outputPadding: 1 }, out: [2, 7, 9, 1] },
    { input: [2, 4, 5, 2], config: { filters: 1, kernelSize: 3, strides: [3, 2], outputPadding: [2, 1] }, out: [2, 14, 12, 1] },
    { input: [null, null, 5, 2], config: { filters: 1, kernelSize: 3, strides: 2 }, out: [null, null, 11, 1] },
  ] as { input: (number | null)[]; config: Conv2DTransposeConfig; out: (number | null)[] }[])('$config on $input → $out', ({ input, config, out }) => {
    const layer = new Conv2DTranspose(config).build(input, rng(1));
    expect(layer.outputShape(input)).toEqual(out);
    if (config.outputPadding === undefined) expect(reference(config).computeOutputShape(input)).toEqual(out);
    if (input[1] !== null) {
      const y = layer.apply(tf.zeros(input.map((d) => d ?? 2)));
      expect(y.shape).toEqual(out.map((d) => d ?? 2));
      y.dispose();
      // The convolution with the same geometry maps the output size back to the input size.
      const back = conv2dOutputShape(out, { filters: 2, kernelSize: config.kernelSize, strides: config.strides, padding: config.padding });
      expect(back).toEqual(input);
    }
    layer.dispose();
  });

  it('spreads each input pixel over a kernel-sized patch (hand-checked)', () => {
    // One pixel of value 2, stride 2, 2×2 kernel [1, 2; 3, 4]: the output is 2·kernel.
    const y = conv2dTranspose(tf.fill([1, 1, 1, 1], 2), tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]), null, { strides: 2 });
    expect(y.arraySync()).toEqual([[[[2], [4]], [[6], [8]]]]);
  });

  it.each([
    { filters: 3, kernelSize: 3 },
    { filters: 2, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' },
    { filters: 2, kernelSize: [2, 3], strides: [2, 1], padding: 'valid', activation: 'tanh', useBias: false },
    { filters: 2, kernelSize: 4, strides: 2, padding: 'same' },
  ] as Conv2DTransposeConfig[])('matches tfjs-layers conv2dTranspose with the same weights: %o', (config) => {
    const layer = new Conv2DTranspose(config).build([null, 3, 4, 2], rng(2));
    layer.bias?.assign(rng(3).normalTensor(layer.bias.shape));
    const x = rng(4).normalTensor([2, 3, 4, 2]);
    const weights = layer.bias ? [layer.kernel!, layer.bias] : [layer.kernel!];
    expect(compareWithReference(layer, reference(config), x, weights)).toBeNull();
  });

  it.each([
    { filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 0 },
    { filters: 2, kernelSize: 4, strides: 2, padding: 'same', outputPadding: 1 },
    { filters: 2, kernelSize: 3, strides: [3, 2], padding: 'valid', outputPadding: [2, 1] },
    { filters: 2, kernelSize: 2, strides: 3, padding: 'same' },
  ] as Conv2DTransposeConfig[])('matches a float64 scatter reference: %o', (config) => {
    const layer = new Conv2DTranspose(config).build([null, 3, 4, 2], rng(5));
    layer.bias!.assign(rng(6).normalTensor(layer.bias!.shape));
    const x = rng(7).normalTensor([2, 3, 4, 2]);
    const y = layer.apply(x);
    expect(compareArrays(y.dataSync(), scatterReference(x, layer.kernel!, layer.bias!, y.shape, layer.config.strides, layer.config.padding))).toBeNull();
  });

  it('has gradients that match finite differences (input, kernel, bias)', () => {
    const layer = new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1, activation: 'tanh' }).build(
      [null, 2, 3, 2],
      rng(8),
    );
    expect(checkModuleGradients(layer, rng(9).normalTensor([1, 2, 3, 2]))).toBeNull();
  });

  it('does not leak in inference or under a gradient', async () => {
    const layer = new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }).build([null, 3, 3, 2], rng(1));
    const x = tf.ones([1, 3, 3, 2]);
    await expectNoLeaks(() => layer.apply(x).dispose(), 'Conv2DTranspose apply');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'Conv2DTranspose gradient');
  });

  it('names itself, the argument and the expected value in errors', () => {
    const c = (config: Partial<Conv2DTransposeConfig>) => () => new Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, name: 'up', ...config });
    expect(c({ outputPadding: [2, 0] })).toThrowError(new ConfigError("Conv2DTranspose 'up': outputPadding expected values smaller than strides [2, 2], got [2, 0]"));
    expect(c({ outputPadding: -1 })).toThrowError(
      new ConfigError("Conv2DTranspose 'up': outputPadding expected a non-negative integer or [h, w] of non-negative integers, got -1"),
    );
    expect(c({ kernelSize: [4, 3], padding: 'same', outputPadding: 0 })).toThrowError(
      new ConfigError("Conv2DTranspose 'up': outputPadding expected >= 1 along axes of an even kernel with padding 'same' (kernelSize [4, 3]), got [0, 0]", {
        help: 'use outputPadding 1 on those axes, or outputPadding null for the tfjs-layers size',
      }),
    );
    const layer = c({})().build([null, 4, 4, 3]);
    expect(() => layer.apply(tf.zeros([4, 4, 3]))).toThrowError(new ShapeError("Conv2DTranspose 'up': input must be rank 4 [batch, h, w, c], got [4, 4, 3]"));
    expect(() => layer.apply(tf.zeros([1, 4, 4, 2]))).toThrowError(new ShapeError("Conv2DTranspose 'up': input axis 3 expected 3, got shape [1, 4, 4, 2]"));
    expect(() => conv2dTransposeOutputShape([null, 4, 4], { filters: 1, kernelSize: 2 })).toThrowError(
      new ShapeError('conv2dTranspose: input must be rank 4 [batch, h, w, c], got [null, 4, 4]'),
    );
  });
});

import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { AvgPool2D, MaxPool2D, pool2d, pool2dOutputShape } from '@tensorloom/layers';
import type { Pool2DConfig } from '@tensorloom/layers';
import { checkFunctionGradients, checkModuleGradients, compareArrays } from '../internal/testing.js';
import { compareWithReference } from './internal/parity.js';

type Ctor = typeof MaxPool2D | typeof AvgPool2D;

function reference(Layer: Ctor, config: Pool2DConfig): tfl.layers.Layer {
  const args = {
    poolSize: config.poolSize as number | [number, number] | undefined,
    strides: (config.strides ?? undefined) as number | [number, number] | undefined,
    padding: config.padding,
  };
  return Layer === MaxPool2D ? tfl.layers.maxPooling2d(args) : tfl.layers.averagePooling2d(args);
}

/** Float64 pooling from the definition, over the real elements of each window (TensorFlow's 'same'). */
function poolReference(x: tf.Tensor, mode: 'max' | 'avg', [kh, kw]: [number, number], [sh, sw]: [number, number], padding: string): Float64Array {
  const [B, H, W, C] = x.shape as [number, number, number, number];
  const out = (n: number, k: number, s: number) => (padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
  const before = (n: number, k: number, s: number) => (padding === 'same' ? Math.floor(Math.max((out(n, k, s) - 1) * s + k - n, 0) / 2) : 0);
  const [OH, OW, top, left] = [out(H, kh, sh), out(W, kw, sw), before(H, kh, sh), before(W, kw, sw)];
  const v = x.dataSync();
  const y = new Float64Array(B * OH * OW * C);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < OH; i++)
      for (let j = 0; j < OW; j++)
        for (let c = 0; c < C; c++) {
          let acc = mode === 'max' ? -Infinity : 0;
          let n = 0;
          for (let p = i * sh - top; p < i * sh - top + kh; p++)
            for (let q = j * sw - left; q < j * sw - left + kw; q++) {
              if (p < 0 || p >= H || q < 0 || q >= W) continue;
              const e = v[((b * H + p) * W + q) * C + c]!;
              acc = mode === 'max' ? Math.max(acc, e) : acc + e;
              n++;
            }
          y[((b * OH + i) * OW + j) * C + c] = mode === 'max' ? acc : acc / n;
        }
  return y;
}

describe.each([
  { Layer: MaxPool2D as Ctor, name: 'MaxPool2D' },
  { Layer: AvgPool2D as Ctor, name: 'AvgPool2D' },
])('$name', ({ Layer }) => {
  const mode = Layer === MaxPool2D ? 'max' : 'avg';

  it.each([
    { input: [null, 8, 8, 3], config: {}, out: [null, 4, 4, 3] },
    { input: [1, 7, 7, 3], config: { poolSize: 2 }, out: [1, 3, 3, 3] },
    { input: [1, 7, 7, 3], config: { poolSize: 2, padding: 'same' }, out: [1, 4, 4, 3] },
    { input: [2, 7, 8, 1], config: { poolSize: 3, strides: 2 }, out: [2, 3, 3, 1] },
    { input: [2, 7, 8, 1], config: { poolSize: [3, 2], strides: [1, 3], padding: 'same' }, out: [2, 7, 3, 1] },
    { input: [null, null, 9, 2], config: { poolSize: 3 }, out: [null, null, 3, 2] },
  ] as { input: (number | null)[]; config: Pool2DConfig; out: (number | null)[] }[])('$config on $input → $out', ({ input, config, out }) => {
    const layer = new Layer(config).build(input);
    expect(layer.outputShape(input)).toEqual(out);
    expect(reference(Layer, config).computeOutputShape(input)).toEqual(out);
    if (input[1] !== null) {
      const y = layer.apply(tf.zeros(input.map((d) => d ?? 2)));
      expect(y.shape).toEqual(out.map((d) => d ?? 2));
      y.dispose();
    }
  });

  it.each([
    { poolSize: 2 },
    { poolSize: 3, strides: 2 },
    { poolSize: [2, 3], strides: [1, 2], padding: 'same' },
    { poolSize: 3, strides: 2, padding: 'same' },
    { poolSize: 2, strides: 2, padding: 'same' },
  ] as Pool2DConfig[])('matches a float64 reference and tfjs-layers in outputs: %o', (config) => {
    const layer = new Layer(config);
    const x = rng(1).normalTensor([2, 5, 6, 2]);
    const g = layer.build([null, 5, 6, 2]).config;
    expect(compareArrays(layer.apply(x).dataSync(), poolReference(x, mode, g.poolSize, g.strides, g.padding))).toBeNull();
    // tfjs-layers' gradient is only right where no window crosses the border (see below).
    const borderless = g.padding === 'valid' || mode === 'max';
    expect(compareWithReference(layer, reference(Layer, config), x, [], { gradients: borderless })).toBeNull();
  });

  it.each([
    { poolSize: 3, strides: 2, padding: 'same' },
    { poolSize: [2, 3], strides: 1, padding: 'same' },
    { poolSize: 2, strides: 1, padding: 'valid' },
  ] as Pool2DConfig[])('has input gradients that match finite differences: %o', (config) => {
    // Distinct values keep max pooling away from ties, where it is not differentiable.
    const x = tf.tensor4d(Float32Array.from(rng(2).permutation(40), (v) => v / 8), [1, 4, 5, 2]);
    expect(checkModuleGradients(new Layer(config).build([null, 4, 5, 2]), x, { eps: 1e-2 })).toBeNull();
  });

  it('does not leak in inference or under a gradient', async () => {
    const layer = new Layer({ poolSize: 3, strides: 2, padding: 'same' });
    const x = tf.ones([1, 5, 5, 2]);
    await expectNoLeaks(() => layer.apply(x).dispose(), `${Layer.name} apply`);
    await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t)))(x).dispose(), `${Layer.name} gradient`);
  });

  it('names itself, the argument and the expected value in errors', () => {
    const label = `${Layer.name} 'pool'`;
    expect(() => new Layer({ poolSize: 0, name: 'pool' })).toThrowError(
      new ConfigError(`${label}: poolSize expected a positive integer or [h, w] of positive integers, got 0`),
    );
    expect(() => new Layer({ strides: [1, 2, 3] as never, name: 'pool' })).toThrowError(
      new ConfigError(`${label}: strides expected a positive integer or [h, w] of positive integers, got [1,2,3]`),
    );
    expect(() => new Layer({ padding: 'causal' as never, name: 'pool' })).toThrowError(new ConfigError(`${label}: padding expected 'valid' or 'same', got 'causal'`));
    const layer = new Layer({ poolSize: 3, name: 'pool' });
    expect(() => layer.build([null, 28, 28])).toThrowError(new ShapeError(`${label}: input must be rank 4 [batch, h, w, c], got [null, 28, 28]`));
    expect(() => layer.apply(tf.zeros([1, 4, 2, 1]))).toThrowError(
      new ShapeError(`${label}: input axis 2 expected >= 3 (poolSize 3 with padding 'valid'), got shape [1, 4, 2, 1]`),
    );
  });
});

describe('average pooling with padding "same"', () => {
  it('divides by the number of real elements in each window (hand-checked, as TensorFlow and tfjs-layers)', () => {
    // x = 1..9 on 3×3; 2×2 windows at stride 1 pad one row below and one column right.
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const expected = [(1 + 2 + 4 + 5) / 4, (2 + 3 + 5 + 6) / 4, (3 + 6) / 2, (4 + 5 + 7 + 8) / 4, (5 + 6 + 8 + 9) / 4, (6 + 9) / 2, (7 + 8) / 2, (8 + 9) / 2, 9];
    expect(compareArrays(pool2d(x, 'avg', { poolSize: 2, strides: 1, padding: 'same' }).dataSync(), expected)).toBeNull();
    const ref = tfl.layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(x) as tf.Tensor;
    expect(compareArrays(ref.dataSync(), expected)).toBeNull();
  });

  it('has the gradient of that mean: Σ over windows containing a pixel of 1 / count (hand-checked)', () => {
    const dx = tf.grad((t: tf.Tensor) => tf.sum(pool2d(t, 'avg', { poolSize: 2, strides: 1, padding: 'same' })))(tf.ones([1, 3, 3, 1]));
    // Window counts by output position: [[4, 4, 2], [4, 4, 2], [2, 2, 1]]. Pixel (2, 2) lies in
    // the windows at (1, 1), (1, 2), (2, 1), (2, 2): 1/4 + 1/2 + 1/2 + 1 = 2.25.
    // Pixel (0, 2) lies in (0, 1) and (0, 2): 1/4 + 1/2; pixel (1, 2) in (0, 1), (0, 2), (1, 1), (1, 2): 1.5.
    const expected = [0.25, 0.5, 0.75, 0.5, 1, 1.5, 0.75, 1.5, 2.25];
    expect(compareArrays(dx.dataSync(), expected)).toBeNull();
  });

  it("is needed: tfjs's own avgPool 'same' gradient disagrees with finite differences at the border", () => {
    // If tfjs fixes AvgPoolGrad, this fails and pool2d can use tf.avgPool(..., 'same') directly.
    const x = rng(3).normalTensor([1, 3, 3, 1]);
    const tfjsGrad = checkFunctionGradients((t) => tf.avgPool(t as tf.Tensor4D, 2, 1, 'same'), [x]);
    expect(tfjsGrad).toMatch(/^input 0 element \d+: analytic/);
    expect(checkFunctionGradients((t) => pool2d(t, 'avg', { poolSize: 2, strides: 1, padding: 'same' }), [x])).toBeNull();
  });

  it('exposes the pure shape function', () => {
    expect(pool2dOutputShape([4, 9, 9, 2], { poolSize: 3, strides: 2, padding: 'same' })).toEqual([4, 5, 5, 2]);
    expect(() => pool2dOutputShape([4, 9, 9], {})).toThrowError(new ShapeError('pool2d: input must be rank 4 [batch, h, w, c], got [4, 9, 9]'));
  });
});

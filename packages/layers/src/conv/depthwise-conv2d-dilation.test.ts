// tfjs-layers 4.22's depthwiseConv2d accepts `dilationRate` but passes no dilation to the op
// (its call has a "TODO: Add support for dilation"): its output and its computed shape are
// those of the undilated layer. Ours dilates. Both are checked here against a float64
// reference written out in TypeScript (docs/design-notes.md).
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { DepthwiseConv2D } from '@tensorloom/layers';
import { checkModuleGradients, compareArrays } from '../internal/testing.js';

/** Float64 depthwise convolution, 'valid' padding, stride 1, NHWC, kernel [kh, kw, c, m]. */
function reference(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D, [dh, dw]: [number, number]): { values: Float64Array; shape: number[] } {
  const [b, h, w, c] = x.shape;
  const [kh, kw, , m] = kernel.shape;
  const [oh, ow] = [h - (kh - 1) * dh, w - (kw - 1) * dw];
  const xv = Float64Array.from(x.dataSync());
  const kv = Float64Array.from(kernel.dataSync());
  const bv = Float64Array.from(bias.dataSync());
  const out = new Float64Array(b * oh * ow * c * m);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let ch = 0; ch < c; ch++)
          for (let k = 0; k < m; k++) {
            let s = bv[ch * m + k]!;
            for (let p = 0; p < kh; p++)
              for (let q = 0; q < kw; q++) s += xv[((n * h + i + p * dh) * w + j + q * dw) * c + ch]! * kv[((p * kw + q) * c + ch) * m + k]!;
            out[((n * oh + i) * ow + j) * c * m + ch * m + k] = s;
          }
  return { values: out, shape: [b, oh, ow, c * m] };
}

describe('DepthwiseConv2D with dilationRate (a tfjs-layers 4.22 defect)', () => {
  const config = { kernelSize: 3, dilationRate: [2, 3] as [number, number], depthMultiplier: 2 };
  const input = [2, 9, 10, 2];

  it('ours matches the float64 reference; tfjs-layers ignores the dilation', async () => {
    const layer = new DepthwiseConv2D(config).build([null, ...input.slice(1)], rng(1));
    layer.bias!.assign(rng(2).normalTensor(layer.bias!.shape));
    const x = rng(3).normalTensor(input) as tf.Tensor4D;
    const ref = reference(x, layer.depthwiseKernel as tf.Tensor as tf.Tensor4D, layer.bias as tf.Tensor as tf.Tensor1D, config.dilationRate);
    expect(ref.shape).toEqual([2, 5, 4, 4]);

    const ours = await expectNoLeaks(() => layer.apply(x));
    expect(ours.shape).toEqual(ref.shape);
    expect(compareArrays(ours.dataSync(), ref.values, { atol: 1e-5, rtol: 1e-5 })).toBeNull();

    const theirs = tfl.layers.depthwiseConv2d({ ...config, useBias: true });
    theirs.build([null, ...input.slice(1)]);
    theirs.setWeights([layer.depthwiseKernel!, layer.bias!]);
    // Its output shape is the undilated one, [2, 7, 8, 4], and so is its computed shape.
    expect(theirs.computeOutputShape([null, ...input.slice(1)])).toEqual([null, 7, 8, 4]);
    const out = theirs.apply(x) as tf.Tensor;
    expect(out.shape).toEqual([2, 7, 8, 4]);
    const undilated = reference(x, layer.depthwiseKernel as tf.Tensor as tf.Tensor4D, layer.bias as tf.Tensor as tf.Tensor1D, [1, 1]);
    expect(compareArrays(out.dataSync(), undilated.values, { atol: 1e-5, rtol: 1e-5 })).toBeNull();
    tf.dispose([x, ours, out]);
    layer.dispose();
  });

  it('the gradients of ours match central finite differences', () => {
    const layer = new DepthwiseConv2D(config).build([null, 7, 8, 1], rng(4));
    const x = rng(5).normalTensor([1, 7, 8, 1]);
    expect(checkModuleGradients(layer, x)).toBeNull();
    x.dispose();
    layer.dispose();
  });
});

// The kernels as training meets them: tf.grad of convolutions on wasm against cpu, over
// strides, padding, batch and channels. (tfjs-core's Conv2D and depthwise gradients refuse
// dilation > 1 on every backend; dilated layers train through space-to-batch, covered in
// training-kernels.test.ts.)
import { rng, tf } from '@tensorloom/core';
import { describe, it } from 'vitest';
import { data, expectClose, onCpuAndWasm, tensor } from '../test/helpers.js';

type Pad = 'same' | 'valid';
const table: { stride: number; pad: Pad; batch: number; channels: number }[] = [];
for (const stride of [1, 2]) {
  for (const pad of ['same', 'valid'] as Pad[]) {
    for (const batch of [1, 3]) {
      for (const channels of [1, 3]) table.push({ stride, pad, batch, channels });
    }
  }
}
const label = (c: (typeof table)[number]) => `stride ${c.stride}, ${c.pad}, batch ${c.batch}, channels ${c.channels}`;

/** ∂/∂(x, filter) of Σ op(x, filter) · r, for a fixed random r: every output weighted differently. */
function gradsOf(op: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor, x: tf.Tensor, w: tf.Tensor, r: tf.Tensor): tf.Tensor[] {
  return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(op(a as tf.Tensor4D, b as tf.Tensor4D), r)))([x, w]);
}

describe('tf.grad through convolutions on wasm matches cpu', () => {
  it.each(table.map((c) => [label(c), c] as const))('conv2d: %s', async (_l, c) => {
    const r = rng(table.indexOf(c) + 1300);
    const x = data(r, [c.batch, 8, 7, c.channels]);
    const w = data(r, [3, 3, c.channels, c.channels === 1 ? 2 : 4]);
    const op = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, c.stride, c.pad);
    const outShape = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], w.shape as [number, number, number, number], c.stride, 1, c.pad).outShape;
    const weights = data(r, outShape);
    const { cpu, wasm } = await onCpuAndWasm(() => gradsOf(op, tensor(x), tensor(w), tensor(weights)));
    expectClose(wasm, cpu, 1e-4, `conv2d ${label(c)}`);
  });

  it.each(table.map((c) => [label(c), c] as const))('depthwiseConv2d, multiplier 2: %s', async (_l, c) => {
    const r = rng(table.indexOf(c) + 1400);
    const x = data(r, [c.batch, 8, 7, c.channels]);
    const w = data(r, [3, 3, c.channels, 2]);
    const op = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.depthwiseConv2d(a, b, c.stride, c.pad);
    const outShape = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], w.shape as [number, number, number, number], c.stride, 1, c.pad, undefined, true).outShape;
    const weights = data(r, outShape);
    const { cpu, wasm } = await onCpuAndWasm(() => gradsOf(op, tensor(x), tensor(w), tensor(weights)));
    expectClose(wasm, cpu, 1e-4, `depthwise ${label(c)}`);
  });

  it.each(table.map((c) => [label(c), c] as const))('conv2dTranspose (its gradient is Conv2D and Conv2DBackpropFilter): %s', async (_l, c) => {
    const r = rng(table.indexOf(c) + 1500);
    const outShape: [number, number, number, number] = [c.batch, 8, 7, c.channels];
    const w = data(r, [3, 3, c.channels, 2]);
    const xShape = tf.backend_util.computeConv2DInfo(outShape, w.shape as [number, number, number, number], c.stride, 1, c.pad).outShape;
    const x = data(r, xShape);
    const op = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2dTranspose(a, b, outShape, c.stride, c.pad);
    const weights = data(r, outShape);
    const { cpu, wasm } = await onCpuAndWasm(() => gradsOf(op, tensor(x), tensor(w), tensor(weights)));
    expectClose(wasm, cpu, 1e-4, `conv2dTranspose ${label(c)}`);
  });
});

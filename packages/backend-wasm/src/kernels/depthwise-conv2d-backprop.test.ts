import { rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, expectNoWasmLeaks, runKernel, runOn, tensor } from '../../test/helpers.js';

type Data = ReturnType<typeof data>;

function forward(x: tf.Tensor, filter: tf.Tensor, a: object): tf.Tensor {
  return runKernel('DepthwiseConv2dNative', { x, filter }, a);
}

/** dW[k] = Σ forward(x, e_k) · dy, with e_k the k-th one-hot filter, on cpu, in float64. */
async function filterGradReference(x: Data, dy: Data, filterShape: number[], a: object): Promise<Float64Array> {
  await tf.setBackend('cpu');
  const size = filterShape.reduce((p, q) => p * q, 1);
  const out = new Float64Array(size);
  for (let k = 0; k < size; k++) {
    const y = tf.tidy(() => forward(tensor(x), tf.oneHot(k, size, 1, 0, 'float32').reshape(filterShape), a).dataSync());
    for (let i = 0; i < y.length; i++) out[k] += (y[i] as number) * (dy.values[i] as number);
  }
  return out;
}

/** dx[n, p] = Σ_o J[p, o] · dy[n, o], J the Jacobian of forward(·, W) on one image, on cpu. */
async function inputGradReference(dy: Data, filter: Data, inputShape: number[], a: object): Promise<Float64Array> {
  await tf.setBackend('cpu');
  const [batch, ...image] = inputShape as [number, ...number[]];
  const pixels = image.reduce((p, q) => p * q, 1);
  const jacobian = tf.tidy(() => forward(tf.oneHot(tf.range(0, pixels, 1, 'int32'), pixels, 1, 0, 'float32').reshape([pixels, ...image]), tensor(filter), a).dataSync());
  const outputs = jacobian.length / pixels;
  const dx = new Float64Array(batch * pixels);
  for (let n = 0; n < batch; n++) {
    for (let p = 0; p < pixels; p++) {
      let s = 0;
      for (let o = 0; o < outputs; o++) s += (jacobian[p * outputs + o] as number) * (dy.values[n * outputs + o] as number);
      dx[n * pixels + p] = s;
    }
  }
  return dx;
}

type Pad = 'same' | 'valid' | number;
interface Case {
  batch: number;
  channels: number;
  multiplier: number;
  stride: number;
  dilation: number;
  pad: Pad;
}

// Table: (stride, dilation) in (1, 1), (2, 1), (1, 2) (tfjs's depthwise convolution takes
// no stride and dilation both above 1) × 'same'/'valid' × batch 1/3 × (channels,
// multiplier) in (1, 1), (3, 1), (2, 2), on a 7×6 input and a 3×2 filter; plus explicit
// padding.
//
// References: with dilation 1, tfjs-backend-cpu's backprop kernels. With dilation 2 those
// are wrong (they size the output for the dilated filter but loop over undilated taps), so
// the reference is the transposed Jacobian of cpu's forward DepthwiseConv2dNative kernel,
// which does dilate: the gradients are exactly the adjoints of that linear map.
const cases: Case[] = [];
for (const [stride, dilation] of [[1, 1], [2, 1], [1, 2]] as const) {
  {
    for (const pad of ['same', 'valid'] as Pad[]) {
      for (const batch of [1, 3]) {
        for (const [channels, multiplier] of [[1, 1], [3, 1], [2, 2]] as const) {
          cases.push({ batch, channels, multiplier, stride, dilation, pad });
        }
      }
    }
  }
}
cases.push({ batch: 2, channels: 3, multiplier: 2, stride: 1, dilation: 1, pad: 1 });
cases.push({ batch: 2, channels: 2, multiplier: 1, stride: 2, dilation: 1, pad: 2 });

function name(c: Case): string {
  return `batch ${c.batch}, channels ${c.channels}×${c.multiplier}, stride ${c.stride}, dilation ${c.dilation}, pad ${c.pad}`;
}

function shapes(c: Case): { inputShape: [number, number, number, number]; filterShape: [number, number, number, number]; outShape: number[] } {
  const inputShape: [number, number, number, number] = [c.batch, 7, 6, c.channels];
  const filterShape: [number, number, number, number] = [3, 2, c.channels, c.multiplier];
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, c.stride, c.dilation, c.pad, undefined, true);
  return { inputShape, filterShape, outShape: info.outShape };
}

function attrs(c: Case): object {
  return { strides: [c.stride, c.stride], dilations: [c.dilation, c.dilation], pad: c.pad };
}

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  it.each(cases.map((c) => [name(c), c] as const))('matches the reference: %s', async (_label, c) => {
    const r = rng(cases.indexOf(c) + 200);
    const { inputShape, filterShape, outShape } = shapes(c);
    const x = data(r, inputShape);
    const dy = data(r, outShape);
    const run = () => runKernel('DepthwiseConv2dNativeBackpropFilter', { x: tensor(x), dy: tensor(dy) }, { ...attrs(c), filterShape });
    const wasm = await runOn('wasm', run);
    const reference = c.dilation === 1 ? await runOn('cpu', run) : [await filterGradReference(x, dy, filterShape, attrs(c))];
    expectClose(wasm, reference, 1e-4, name(c));
  });

  it('matches hand-computed values', async () => {
    // Channel 0 of x is 1..4, channel 1 is 10·(1..4); dy = [1, 1] on the one 'valid' output
    // of a 2×2 filter: dW[i, j, c] = x[i, j, c].
    const x = tf.tensor4d([1, 10, 2, 20, 3, 30, 4, 40], [1, 2, 2, 2]);
    const [dW] = await runOn('wasm', () =>
      runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy: tf.ones([1, 1, 1, 2]) }, { strides: [1, 1], dilations: [1, 1], pad: 'valid', filterShape: [2, 2, 2, 1] }),
    );
    expect(Array.from(dW as Float64Array)).toEqual([1, 10, 2, 20, 3, 30, 4, 40]);
  });
});

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  it.each(cases.map((c) => [name(c), c] as const))('matches the reference: %s', async (_label, c) => {
    const r = rng(cases.indexOf(c) + 300);
    const { inputShape, filterShape, outShape } = shapes(c);
    const filter = data(r, filterShape);
    const dy = data(r, outShape);
    const run = () => runKernel('DepthwiseConv2dNativeBackpropInput', { dy: tensor(dy), filter: tensor(filter) }, { ...attrs(c), inputShape });
    const wasm = await runOn('wasm', run);
    const reference = c.dilation === 1 ? await runOn('cpu', run) : [await inputGradReference(dy, filter, inputShape, attrs(c))];
    expectClose(wasm, reference, 1e-4, name(c));
  });

  it('matches hand-computed values', async () => {
    // One output pixel with dy = [1, 2] (channel 0 × multipliers 0 and 1) and a 1×1 filter
    // [3, 4]: dx = 1·3 + 2·4 = 11.
    const [dx] = await runOn('wasm', () =>
      runKernel('DepthwiseConv2dNativeBackpropInput', { dy: tf.tensor4d([1, 2], [1, 1, 1, 2]), filter: tf.tensor4d([3, 4], [1, 1, 1, 2]) }, { strides: [1, 1], dilations: [1, 1], pad: 'valid', inputShape: [1, 1, 1, 1] }),
    );
    expect(Array.from(dx as Float64Array)).toEqual([11]);
  });
});

describe('depthwise backprop kernels', () => {
  it('leak neither tensors nor wasm memory', async () => {
    await tf.setBackend('wasm');
    const r = rng(5);
    const x = tensor(data(r, [2, 8, 8, 3]));
    const filter = tensor(data(r, [3, 3, 3, 2]));
    const dy = tensor(data(r, [2, 4, 4, 6]));
    const filter1 = tensor(data(r, [3, 3, 3, 1]));
    const dy1 = tensor(data(r, [2, 4, 4, 3]));
    const a = { strides: [2, 2], dilations: [1, 1], pad: 'same' };
    const run = () => {
      runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...a, filterShape: [3, 3, 3, 2] }).dispose();
      runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...a, inputShape: [2, 8, 8, 3] }).dispose();
      // Multiplier 1 skips the final sum over the multipliers.
      runKernel('DepthwiseConv2dNativeBackpropInput', { dy: dy1, filter: filter1 }, { ...a, inputShape: [2, 8, 8, 3] }).dispose();
    };
    await expectNoWasmLeaks(run, 'depthwise backprop');
    tf.dispose([x, filter, dy, filter1, dy1]);
  });
});

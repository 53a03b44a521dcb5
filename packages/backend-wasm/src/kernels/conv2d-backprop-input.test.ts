import { rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { type Conv2DCase, conv2DCaseName as name, conv2DCases } from '../../test/conv2d-cases.js';
import { data, expectClose, expectNoWasmLeaks, onCpuAndWasm, runKernel, runOn, tensor } from '../../test/helpers.js';

function backpropInput(dy: tf.Tensor, filter: tf.Tensor, inputShape: number[], stride: number, pad: unknown, dataFormat = 'NHWC'): tf.Tensor {
  return runKernel('Conv2DBackpropInput', { dy, filter }, { strides: [stride, stride], pad, dataFormat, inputShape });
}

// The shared table (test/conv2d-cases.ts: strides, paddings, batches and channels on sizes
// that strides do not divide, so the last input rows get no output; a LeNet-sized layer),
// plus a 4×4 'same' filter with stride 2.
const cases: Conv2DCase[] = [...conv2DCases(), { batch: 2, size: [8, 8], inChannels: 4, outChannels: 2, kernel: [4, 4], stride: 2, pad: 'same' }];

describe('Conv2DBackpropInput on wasm (as a forward convolution)', () => {
  it.each(cases.map((c) => [name(c), c] as const))('matches cpu: %s', async (_label, c) => {
    const r = rng(cases.indexOf(c) + 100);
    const inputShape = [c.batch, ...c.size, c.inChannels] as [number, number, number, number];
    const filter = data(r, [...c.kernel, c.inChannels, c.outChannels]);
    const convInfo = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], c.stride, 1, c.pad);
    const dy = data(r, convInfo.outShape);
    const { cpu, wasm } = await onCpuAndWasm(() => backpropInput(tensor(dy), tensor(filter), inputShape, c.stride, c.pad));
    expectClose(wasm, cpu, 1e-4, name(c));
  });

  it('hands NCHW inputs to tfjs-backend-wasm’s own kernel and matches cpu', async () => {
    const r = rng(7);
    const dy = data(r, [2, 4, 3, 3]); // (N, Co, OH, OW): 'same', stride 2 on 6×5
    const filter = data(r, [3, 3, 3, 4]);
    const { cpu, wasm } = await onCpuAndWasm(() => backpropInput(tensor(dy), tensor(filter), [2, 3, 6, 5], 2, 'same', 'NCHW'));
    expectClose(wasm, cpu, 1e-4, 'NCHW');
  });

  it('matches hand-computed values', async () => {
    // One 1×1 dy pixel of value 2 spreads the 2×2 filter [1, 2; 3, 4] back over the 2×2 input.
    const [dx] = await runOn('wasm', () => backpropInput(tf.tensor4d([2], [1, 1, 1, 1]), tf.tensor4d([1, 2, 3, 4], [2, 2, 1, 1]), [1, 2, 2, 1], 1, 'valid'));
    expect(Array.from(dx as Float64Array)).toEqual([2, 4, 6, 8]);
  });

  it('leaks neither tensors nor wasm memory', async () => {
    await tf.setBackend('wasm');
    const r = rng(5);
    const dy = tensor(data(r, [2, 4, 4, 5]));
    const filter = tensor(data(r, [3, 3, 3, 5]));
    const run = () => backpropInput(dy, filter, [2, 8, 8, 3], 2, 'same').dispose();
    await expectNoWasmLeaks(run, 'Conv2DBackpropInput');
    tf.dispose([dy, filter]);
  });
});

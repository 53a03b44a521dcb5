import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, onCpuAndWasm, runKernel, runOn, tensor, wasmDataIds } from '../../test/helpers.js';

type Pad = 'same' | 'valid' | number;

function backpropInput(dy: tf.Tensor, filter: tf.Tensor, inputShape: number[], stride: number, pad: unknown, dataFormat = 'NHWC'): tf.Tensor {
  return runKernel('Conv2DBackpropInput', { dy, filter }, { strides: [stride, stride], pad, dataFormat, inputShape });
}

interface Case {
  batch: number;
  size: [number, number];
  inChannels: number;
  outChannels: number;
  kernel: [number, number];
  stride: number;
  pad: Pad;
}

// Table: strides 1–2 × 'same'/'valid'/explicit 1 × batch 1/3 × channels 1/3; sizes that
// strides do not divide, so the last input rows get no output. (No dilation attribute.)
const cases: Case[] = [];
for (const stride of [1, 2]) {
  for (const pad of ['same', 'valid', 1] as Pad[]) {
    for (const batch of [1, 3]) {
      for (const channels of [1, 3]) {
        cases.push({ batch, size: [7, 6], inChannels: channels, outChannels: channels === 1 ? 1 : 4, kernel: [3, 2], stride, pad });
      }
    }
  }
}
cases.push({ batch: 2, size: [12, 12], inChannels: 6, outChannels: 16, kernel: [5, 5], stride: 1, pad: 'valid' });
cases.push({ batch: 2, size: [8, 8], inChannels: 4, outChannels: 2, kernel: [4, 4], stride: 2, pad: 'same' });

function name(c: Case): string {
  return `x [${c.batch}, ${c.size}, ${c.inChannels}], filter [${c.kernel}, ${c.inChannels}, ${c.outChannels}], stride ${c.stride}, pad ${c.pad}`;
}

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
    run();
    const ids = wasmDataIds();
    const bytes = tf.memory().numBytes;
    await expectNoLeaks(run, 'Conv2DBackpropInput');
    expect(wasmDataIds()).toBe(ids);
    expect(tf.memory().numBytes).toBe(bytes);
    tf.dispose([dy, filter]);
  });
});

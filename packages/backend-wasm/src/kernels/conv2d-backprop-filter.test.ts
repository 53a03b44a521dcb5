import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { conv2DCaseName as name, conv2DCases } from '../../test/conv2d-cases.js';
import { data, expectClose, expectNoWasmLeaks, onCpuAndWasm, runKernel, runOn, tensor, wasmDataIds } from '../../test/helpers.js';
import { setPatchBudget } from './conv2d-backprop-filter.js';

function backpropFilter(x: tf.Tensor, dy: tf.Tensor, filterShape: number[], stride: number, pad: unknown, dataFormat = 'NHWC'): tf.Tensor {
  return runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [stride, stride], pad, dataFormat, filterShape });
}

// The shared table (test/conv2d-cases.ts): strides, paddings, batches and channels on odd,
// non-square sizes, and a LeNet-sized layer.
const cases = conv2DCases();

describe('Conv2DBackpropFilter on wasm', () => {
  it.each(cases.map((c) => [name(c), c] as const))('matches cpu: %s', async (_label, c) => {
    const r = rng(cases.indexOf(c) + 1);
    const filterShape: [number, number, number, number] = [...c.kernel, c.inChannels, c.outChannels];
    const x = data(r, [c.batch, ...c.size, c.inChannels]);
    const outShape = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, c.stride, 1, c.pad).outShape;
    const dy = data(r, outShape);
    const { cpu, wasm } = await onCpuAndWasm(() =>
      backpropFilter(tensor(x), tensor(dy), filterShape, c.stride, c.pad),
    );
    expectClose(wasm, cpu, 1e-4, name(c));
  });

  it('matches cpu for NCHW inputs', async () => {
    const r = rng(99);
    const x = data(r, [2, 3, 6, 5]); // (N, C, H, W)
    const dy = data(r, [2, 4, 3, 3]); // 'same', stride 2
    const { cpu, wasm } = await onCpuAndWasm(() =>
      backpropFilter(tensor(x), tensor(dy), [3, 3, 3, 4], 2, 'same', 'NCHW'),
    );
    expectClose(wasm, cpu, 1e-4, 'NCHW');
  });

  it('matches cpu when the batch is split into chunks (3 + 3 + 1 images), without leaking', async () => {
    const r = rng(98);
    const x = data(r, [7, 6, 5, 2]);
    const dy = data(r, [7, 3, 3, 3]); // 'same', stride 2
    const make = () => backpropFilter(tensor(x), tensor(dy), [3, 3, 2, 3], 2, 'same');
    const cpu = await runOn('cpu', make);
    const previous = setPatchBudget(3 * 18 * 9); // three images of 18 patch rows × 9 pixels
    try {
      expectClose(await runOn('wasm', make), cpu, 1e-4, 'chunked');
      const ids = wasmDataIds();
      await expectNoLeaks(() => runOn('wasm', make), 'chunked Conv2DBackpropFilter');
      expect(wasmDataIds()).toBe(ids);
    } finally {
      setPatchBudget(previous);
    }
  });

  it('matches hand-computed values', async () => {
    // x = 1..9 in a 3×3 image, dy = ones on the 2×2 'valid' output of a 2×2 filter:
    // dW[i, j] = sum of the 2×2 window of x starting at (i, j) = 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9.
    const [dW] = await runOn('wasm', () =>
      backpropFilter(tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]), tf.ones([1, 2, 2, 1]), [2, 2, 1, 1], 1, 'valid'),
    );
    expect(Array.from(dW as Float64Array)).toEqual([12, 16, 24, 28]);
  });

  it('leaks neither tensors nor wasm memory', async () => {
    await tf.setBackend('wasm');
    const r = rng(5);
    const x = tensor(data(r, [2, 8, 8, 3]));
    const dy = tensor(data(r, [2, 4, 4, 5]));
    const run = () => backpropFilter(x, dy, [3, 3, 3, 5], 2, 'same').dispose();
    await expectNoWasmLeaks(run, 'Conv2DBackpropFilter');
    tf.dispose([x, dy]);
  });
});

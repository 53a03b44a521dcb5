import { ValueError, rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, expectNoWasmLeaks, onCpuAndWasm, runKernel, tensor } from '../../test/helpers.js';
import { heapDtypes, messageOn, patterned, readOn, readOnBoth, wasmHeap } from '../../test/slicing.js';

interface Case {
  label: string;
  shape: number[];
  begin: number | number[];
  size?: number | number[];
}

// Contiguous and strided boxes, size -1, begin and size given as a number or shorter than
// the rank (tfjs pads them), and empty slices, over ranks 1 to 6.
const cases: Case[] = [
  { label: 'rank 1', shape: [10], begin: [3], size: [4] },
  { label: 'rank 1, size -1', shape: [10], begin: [6], size: [-1] },
  { label: 'rank 1, empty', shape: [10], begin: [4], size: [0] },
  { label: 'rank 1, empty at the end', shape: [10], begin: [10], size: [0] },
  { label: 'rank 2, rows', shape: [5, 6], begin: [1, 0], size: [3, 6] },
  { label: 'rank 2, rows to the end', shape: [5, 6], begin: [2, 0], size: [-1, -1] },
  { label: 'rank 2, columns', shape: [5, 6], begin: [0, 2], size: [5, 3] },
  { label: 'rank 2, one column', shape: [5, 6], begin: [0, 5], size: [5, 1] },
  { label: 'rank 2, one element', shape: [5, 6], begin: [4, 1], size: [1, 1] },
  { label: 'rank 2, begin and size as numbers', shape: [5, 6], begin: 2, size: 2 },
  { label: 'rank 2, short begin, no size', shape: [5, 6], begin: [3] },
  { label: 'rank 2, empty rows', shape: [5, 6], begin: [2, 0], size: [0, 6] },
  { label: 'rank 2, empty columns', shape: [5, 6], begin: [1, 3], size: [2, 0] },
  { label: 'rank 3, one time step', shape: [7, 4, 6], begin: [3, 0, 0], size: [1, 4, 6] },
  { label: 'rank 3, inner block', shape: [4, 5, 6], begin: [1, 1, 2], size: [2, 3, 3] },
  { label: 'rank 3, size -1 in the middle', shape: [4, 5, 6], begin: [1, 2, 1], size: [2, -1, 4] },
  { label: 'rank 3, last-axis gate', shape: [3, 4, 16], begin: [0, 0, 8], size: [-1, -1, 4] },
  { label: 'rank 3, empty middle axis', shape: [4, 5, 6], begin: [0, 5, 0], size: [4, 0, 6] },
  { label: 'rank 4, NHWC crop', shape: [2, 6, 5, 3], begin: [0, 1, 1, 0], size: [2, 4, 3, 3] },
  { label: 'rank 4, one channel', shape: [2, 6, 5, 3], begin: [0, 0, 0, 2], size: [-1, -1, -1, 1] },
  { label: 'rank 4, strided everywhere', shape: [3, 4, 5, 2], begin: [1, 1, 2, 1], size: [2, 2, 2, 1] },
  { label: 'rank 5', shape: [2, 3, 2, 4, 3], begin: [1, 0, 1, 1, 0], size: [1, 3, 1, 2, 2] },
  { label: 'rank 5, whole', shape: [2, 3, 2, 4, 3], begin: [0, 0, 0, 0, 0], size: [-1, -1, -1, -1, -1] },
  { label: 'rank 6', shape: [2, 3, 2, 3, 2, 4], begin: [1, 1, 0, 1, 0, 1], size: [1, 2, 2, 2, 1, 3] },
  { label: 'rank 6, empty', shape: [2, 3, 2, 3, 2, 4], begin: [0, 0, 0, 0, 0, 0], size: [2, 3, 0, 3, 2, 4] },
  { label: 'empty input', shape: [3, 0, 4], begin: [1, 0, 0], size: [2, -1, 2] },
];

const slice = (x: tf.Tensor, c: Case) => tf.slice(x, c.begin, c.size);

describe('Slice on wasm', () => {
  for (const dtype of heapDtypes) {
    it.each(cases.map((c) => [c.label, c] as const))(`matches cpu exactly (${dtype}): %s`, async (_label, c) => {
      const { cpu, wasm } = await readOnBoth(() => slice(patterned(c.shape, dtype), c));
      expect(wasm).toEqual(cpu);
    });
  }

  it('keeps NaN, -0 and infinities bit for bit', async () => {
    const [out] = await readOn('wasm', () => tf.slice(tf.tensor1d([1, Number.NaN, -0, Number.NEGATIVE_INFINITY, 2]), [1], [3]));
    expect(out?.values).toEqual([Number.NaN, -0, Number.NEGATIVE_INFINITY]);
    expect(Object.is(out?.values[1], -0)).toBe(true);
  });

  it('slices a rank-0 tensor through the kernel', async () => {
    // The op refuses scalars; the kernel takes begin [] and size [] and returns the scalar.
    // (tfjs-backend-cpu's returns no value: its flat offset of an empty begin is 1.)
    const [out] = await readOn('wasm', () => runKernel('Slice', { x: tf.scalar(3.5) }, { begin: [], size: [] }));
    expect(out).toEqual({ shape: [], dtype: 'float32', values: [3.5] });
  });

  it('hands string tensors to tfjs-backend-wasm, matching cpu', async () => {
    for (const c of [cases[4], cases[6], cases[14]] as Case[]) {
      const { cpu, wasm } = await readOnBoth(() => slice(patterned(c.shape, 'string'), c));
      expect(wasm, c.label).toEqual(cpu);
    }
  });

  it('reads its input again after the output allocation grew the heap', async () => {
    await tf.setBackend('wasm');
    // An input as large as the heap is now: the heap grows to hold it, and grows again to
    // hold a slice of nearly the same size. A view of the heap taken before the output was
    // allocated would be detached and the copy would fail.
    const columns = Math.ceil(wasmHeap().length / 8);
    const values = Float32Array.from({ length: 2 * columns }, (_, i) => i);
    const x = tf.tensor2d(values, [2, columns]);
    const heapBefore = wasmHeap().buffer;
    const y = tf.slice(x, [0, 1], [2, -1]);
    expect(wasmHeap().buffer, 'the output allocation grew the heap').not.toBe(heapBefore);
    const got = y.dataSync();
    let wrong = 0;
    for (let r = 0; r < 2; r++) {
      for (let c = 1; c < columns; c++) if (got[r * (columns - 1) + c - 1] !== values[r * columns + c]) wrong++;
    }
    expect(wrong).toBe(0);
    tf.dispose([x, y]);
  });

  it('throws what tfjs-backend-cpu throws for a slice past the end', async () => {
    const run = () => tf.slice(tf.ones([4, 3]), [2, 0], [3, 3]);
    const cpu = await messageOn('cpu', run);
    expect(cpu).toBe('Error in slice2D: begin[0] + size[0] (5) would overflow input.shape[0] (4)');
    expect(await messageOn('wasm', run)).toBe(cpu);
  });

  it("keeps tfjs's refusal of begin -1", async () => {
    expect(await messageOn('wasm', () => tf.slice(tf.ones([4]), [-1], [1]))).toBe('slice() does not support negative begin indexing.');
  });

  it('refuses other negative begins (tfjs-backend-cpu would read outside the tensor)', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([4, 3]);
    expect(() => tf.slice(x, [-2, 0], [1, 3])).toThrowError(new ValueError('Slice (wasm): begin expected non-negative indices, got [-2, 0]'));
    x.dispose();
  });

  it('gives cpu gradients through slices', async () => {
    const r = rng(31);
    const x = data(r, [3, 5, 4]);
    const w = data(r, [2, 3, 2]);
    const make = () =>
      tf.grad((t: tf.Tensor) => tf.add(tf.sum(tf.mul(tf.slice(t, [1, 1, 2], [2, 3, 2]), tensor(w))), tf.sum(tf.square(tf.slice(t, [0, 0, 0], [1, -1, -1])))))(tensor(x));
    const { cpu, wasm } = await onCpuAndWasm(make);
    expectClose(wasm, cpu, 1e-6, 'slice gradient');
  });

  it('leaks neither tensors nor wasm memory', async () => {
    await tf.setBackend('wasm');
    const x = patterned([4, 5, 6], 'float32');
    const flags = patterned([4, 5, 6], 'bool');
    const words = patterned([4, 3], 'string');
    const run = () => {
      tf.dispose([tf.slice(x, [1, 1, 2], [2, 3, 3]), tf.slice(x, [2, 0, 0], [0, 5, 6]), tf.slice(flags, [0, 4, 0], [4, 1, 6])]);
      tf.slice(words, [1, 1], [2, 2]).dispose();
    };
    await expectNoWasmLeaks(run, 'Slice');
    tf.dispose([x, flags, words]);
  });
});

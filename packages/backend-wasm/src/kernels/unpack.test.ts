import { rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, expectNoWasmLeaks, onCpuAndWasm, tensor } from '../../test/helpers.js';
import { heapDtypes, messageOn, patterned, readOnBoth, wasmHeap } from '../../test/slicing.js';

interface Case {
  label: string;
  shape: number[];
  axis: number;
}

// Every axis of ranks 1 to 5, named from the start and from the end, and empty inputs.
const shapes = [[5], [3, 4], [4, 2, 3], [2, 3, 2, 4], [2, 3, 2, 2, 3]];
const cases: Case[] = shapes.flatMap((shape) =>
  shape.flatMap((_, axis) => [
    { label: `[${shape.join(',')}] axis ${axis}`, shape, axis },
    { label: `[${shape.join(',')}] axis ${axis - shape.length}`, shape, axis: axis - shape.length },
  ]),
);
cases.push(
  { label: 'empty input [3,0,2] axis 0', shape: [3, 0, 2], axis: 0 },
  { label: 'empty input [3,0,2] along its empty axis (no outputs)', shape: [3, 0, 2], axis: 1 },
);

describe('Unpack on wasm', () => {
  for (const dtype of heapDtypes) {
    it.each(cases.map((c) => [c.label, c] as const))(`matches cpu exactly (${dtype}): %s`, async (_label, c) => {
      const { cpu, wasm } = await readOnBoth(() => tf.unstack(patterned(c.shape, dtype), c.axis));
      expect(wasm).toEqual(cpu);
    });
  }

  it('hands string tensors to tfjs-backend-wasm, matching cpu', async () => {
    const { cpu, wasm } = await readOnBoth(() => tf.unstack(patterned([3, 4], 'string'), 1));
    expect(wasm).toEqual(cpu);
  });

  it("throws tfjs's message for an axis out of range", async () => {
    const run = () => tf.unstack(tf.ones([2, 3]), 2);
    const cpu = await messageOn('cpu', run);
    expect(cpu).toBe('Axis = 2 is not in [-2, 2)');
    expect(await messageOn('wasm', run)).toBe(cpu);
  });

  it('reads its input again after the output allocations grew the heap', async () => {
    await tf.setBackend('wasm');
    // Four outputs that add up to an input as large as the heap is now.
    const width = Math.ceil(wasmHeap().length / 16);
    const values = Float32Array.from({ length: 4 * width }, (_, i) => i);
    const x = tf.tensor2d(values, [4, width]);
    const heapBefore = wasmHeap().buffer;
    const rows = tf.unstack(x);
    expect(wasmHeap().buffer, 'the output allocations grew the heap').not.toBe(heapBefore);
    let wrong = 0;
    rows.forEach((row, r) => {
      const got = row.dataSync();
      for (let c = 0; c < width; c++) if (got[c] !== values[r * width + c]) wrong++;
    });
    expect(wrong).toBe(0);
    tf.dispose([x, ...rows]);
  });

  it('gives cpu gradients through unstack and through stack (whose gradient is an unstack)', async () => {
    const r = rng(51);
    const x = data(r, [4, 3, 5]);
    const ws = [0, 1, 2].map(() => data(r, [4, 5]));
    const m = data(r, [4, 5, 2]);
    const through = (t: tf.Tensor) => tf.addN(tf.unstack(t, 1).map((s, i) => tf.sum(tf.mul(tf.square(s), tensor(ws[i] as ReturnType<typeof data>)))));
    const stack = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.stack([a, b], 2), tensor(m)));
    const make = () => [tf.grad(through)(tensor(x)), ...tf.grads(stack)([tensor(ws[0] as ReturnType<typeof data>), tensor(ws[1] as ReturnType<typeof data>)])];
    const { cpu, wasm } = await onCpuAndWasm(make);
    expectClose(wasm, cpu, 1e-6, 'unstack and stack gradients');
  });

  it('leaks neither tensors nor wasm memory', async () => {
    await tf.setBackend('wasm');
    const x = patterned([3, 4, 2], 'float32');
    const counts = patterned([3, 4, 2], 'int32');
    const words = patterned([3, 4], 'string');
    const empty = patterned([3, 0, 2], 'bool');
    const run = () => {
      tf.dispose([...tf.unstack(x, 2), ...tf.unstack(counts, 0), ...tf.unstack(words, 1), ...tf.unstack(empty, 0), ...tf.unstack(empty, 1)]);
    };
    await expectNoWasmLeaks(run, 'Unpack');
    tf.dispose([x, counts, words, empty]);
  });
});

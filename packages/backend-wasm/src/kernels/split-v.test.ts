import { rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, expectNoWasmLeaks, onCpuAndWasm, tensor } from '../../test/helpers.js';
import { heapDtypes, messageOn, patterned, readOnBoth, wasmHeap } from '../../test/slicing.js';

// Every axis of ranks 1 to 5, each cut four ways: evenly by a count, by sizes with -1 (the
// rest), by sizes with an empty part, and evenly along the same axis named from the end.
const shapes = [[6], [4, 6], [3, 4, 6], [2, 3, 4, 5], [2, 3, 2, 4, 3]];

interface Case {
  label: string;
  shape: number[];
  splits: number | number[];
  axis: number;
}

const cases: Case[] = shapes.flatMap((shape) =>
  shape.flatMap((d, axis) => {
    const count = d % 2 === 0 ? 2 : d;
    const at = `[${shape.join(',')}] axis ${axis}`;
    return [
      { label: `${at}, ${count} even parts`, shape, splits: count, axis },
      { label: `${at}, sizes [1, -1]`, shape, splits: [1, -1], axis },
      { label: `${at}, sizes [0, -1, 1] (an empty part)`, shape, splits: [0, -1, 1], axis },
      { label: `${at} named ${axis - shape.length}, ${count} even parts`, shape, splits: count, axis: axis - shape.length },
    ];
  }),
);
cases.push(
  { label: 'empty input [3,0,2] along axis 0', shape: [3, 0, 2], splits: [1, 2], axis: 0 },
  { label: 'empty input [3,0,2] along its empty axis', shape: [3, 0, 2], splits: 2, axis: 1 },
);

// tf.split writes the size it infers for -1 into its argument: each run gets a fresh one.
const splitKernel = (x: tf.Tensor, numOrSizeSplits: number | number[], axis: number) =>
  tf.engine().runKernel('SplitV', { x }, { numOrSizeSplits, axis }) as tf.Tensor[];
const split = (x: tf.Tensor, c: Case) => tf.split(x, typeof c.splits === 'number' ? c.splits : [...c.splits], c.axis);

describe('SplitV on wasm', () => {
  for (const dtype of heapDtypes) {
    it.each(cases.map((c) => [c.label, c] as const))(`matches cpu exactly (${dtype}): %s`, async (_label, c) => {
      const { cpu, wasm } = await readOnBoth(() => split(patterned(c.shape, dtype), c));
      expect(wasm).toEqual(cpu);
    });
  }

  it('hands string tensors to tfjs-backend-wasm, matching cpu', async () => {
    // tf.split refuses strings; the kernel takes them.
    const { cpu, wasm } = await readOnBoth(() => splitKernel(patterned([3, 4], 'string'), [1, -1], 1));
    expect(wasm).toEqual(cpu);
  });

  it('leaves the sizes it is given as they were', async () => {
    await tf.setBackend('wasm');
    const sizes = [1, -1];
    tf.dispose(tf.split(tf.ones([4, 3]), sizes, 0));
    expect(sizes).toEqual([1, -1]);
  });

  it.each([
    ['sizes that do not add up', (x: tf.Tensor) => tf.split(x, [1, 2], 1)],
    ['a count that does not divide the axis', (x: tf.Tensor) => tf.split(x, 4, 1)],
    ['two -1 sizes', (x: tf.Tensor) => tf.split(x, [-1, -1], 1)],
    ['an axis out of range', (x: tf.Tensor) => tf.split(x, 2, 2)],
  ])('throws what tfjs-backend-cpu throws for %s', async (_label, run) => {
    const cpu = await messageOn('cpu', () => run(tf.ones([2, 6])));
    expect(cpu).not.toBeNull();
    expect(await messageOn('wasm', () => run(tf.ones([2, 6])))).toBe(cpu);
  });

  it('reads its input again after the output allocations grew the heap', async () => {
    await tf.setBackend('wasm');
    // Parts that add up to an input as large as the heap is now: allocating them grows it.
    const columns = Math.ceil(wasmHeap().length / 16) * 2;
    const values = Float32Array.from({ length: 2 * columns }, (_, i) => i);
    const x = tf.tensor2d(values, [2, columns]);
    const heapBefore = wasmHeap().buffer;
    const parts = tf.split(x, [columns / 2, 1, -1], 1);
    expect(wasmHeap().buffer, 'the output allocations grew the heap').not.toBe(heapBefore);
    let wrong = 0;
    let start = 0;
    for (const part of parts) {
      const width = part.shape[1] as number;
      const got = part.dataSync();
      for (let r = 0; r < 2; r++) {
        for (let c = 0; c < width; c++) if (got[r * width + c] !== values[r * columns + start + c]) wrong++;
      }
      start += width;
    }
    expect(start).toBe(columns);
    expect(wrong).toBe(0);
    tf.dispose([x, ...parts]);
  });

  it('gives cpu gradients through split and through concat (whose gradient is a split)', async () => {
    const r = rng(41);
    const x = data(r, [3, 8, 2]);
    const [w0, w1, w2] = [data(r, [3, 2, 2]), data(r, [3, 5, 2]), data(r, [3, 1, 2])];
    const through = (t: tf.Tensor) => {
      const [a, b, c] = tf.split(t, [2, -1, 1], 1) as [tf.Tensor, tf.Tensor, tf.Tensor];
      return tf.sum(tf.add(tf.sum(tf.mul(a, tensor(w0))), tf.add(tf.sum(tf.mul(b, tensor(w1))), tf.sum(tf.mul(c, tensor(w2))))));
    };
    const concat = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.concat([a, b], 1), tensor(x)));
    const make = () => [
      tf.grad(through)(tensor(x)),
      ...tf.grads(concat)([tensor(data(rng(1), [3, 3, 2])), tensor(data(rng(2), [3, 5, 2]))]),
    ];
    const { cpu, wasm } = await onCpuAndWasm(make);
    expectClose(wasm, cpu, 1e-6, 'split and concat gradients');
  });

  it('leaks neither tensors nor wasm memory', async () => {
    await tf.setBackend('wasm');
    const x = patterned([3, 4, 6], 'float32');
    const flags = patterned([3, 4, 6], 'bool');
    const words = patterned([3, 4], 'string');
    const run = () => {
      tf.dispose([...tf.split(x, [0, -1, 2], 2), ...tf.split(x, 3, 0), ...tf.split(flags, 2, 1), ...splitKernel(words, 2, 1)]);
    };
    await expectNoWasmLeaks(run, 'SplitV');
    tf.dispose([x, flags, words]);
  });
});

import { DTypeError, rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, expectNoWasmLeaks, onCpuAndWasm, runKernel, runOn, tensor } from '../../test/helpers.js';

interface Case {
  label: string;
  xShape: number[];
  ids: number[];
  idsShape: number[];
  numSegments: number;
  dtype: 'float32' | 'int32';
}

const cases: Case[] = [
  { label: '1-D x', xShape: [6], ids: [0, 2, 2, 1, 0, 2], idsShape: [6], numSegments: 3, dtype: 'float32' },
  { label: 'rows of a matrix (the gather gradient)', xShape: [5, 4], ids: [3, 0, 3, 3, 1], idsShape: [5], numSegments: 6, dtype: 'float32' },
  { label: 'ids outside [0, numSegments) are dropped', xShape: [4, 2], ids: [-1, 1, 3, 0], idsShape: [4], numSegments: 3, dtype: 'float32' },
  { label: 'int32 x', xShape: [5, 3], ids: [1, 1, 0, 4, 1], idsShape: [5], numSegments: 5, dtype: 'int32' },
  { label: 'a segment no id names stays 0', xShape: [3, 2], ids: [0, 0, 0], idsShape: [3], numSegments: 2, dtype: 'float32' },
];

function segmentSum(x: tf.Tensor, ids: tf.Tensor, numSegments: number): tf.Tensor {
  return runKernel('UnsortedSegmentSum', { x, segmentIds: ids }, { numSegments });
}

describe('UnsortedSegmentSum on wasm', () => {
  it.each(cases.map((c) => [c.label, c] as const))('matches cpu: %s', async (_label, c) => {
    const r = rng(cases.indexOf(c) + 400);
    const x = data(r, c.xShape);
    const make = () => {
      const xt = c.dtype === 'int32' ? tf.tensor(x.values.map((v) => Math.round(v * 10)), c.xShape, 'int32') : tensor(x);
      return segmentSum(xt, tf.tensor(c.ids, c.idsShape, 'int32'), c.numSegments);
    };
    const { cpu, wasm } = await onCpuAndWasm(make);
    expectClose(wasm, cpu, 1e-6, c.label);
  });

  it('sums over 2-D ids like a float64 loop (cpu cannot: it broadcasts them wrongly)', async () => {
    const x = data(rng(450), [2, 3, 4]);
    const ids = [1, 0, 1, 2, 2, 0]; // (2, 3): each id picks a row of 4 values
    const expected = new Float64Array(3 * 4);
    ids.forEach((s, i) => {
      for (let k = 0; k < 4; k++) expected[s * 4 + k] += x.values[i * 4 + k] as number;
    });
    const wasm = await runOn('wasm', () => segmentSum(tensor(x), tf.tensor2d(ids, [2, 3], 'int32'), 3));
    expectClose(wasm, [expected], 1e-6, '2-D ids');
  });

  it('matches hand-computed values', async () => {
    // rows 0 and 2 go to segment 1, row 1 to segment 0: [[3, 4], [1 + 5, 2 + 6]].
    const [out] = await runOn('wasm', () => segmentSum(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]), tf.tensor1d([1, 0, 1], 'int32'), 2));
    expect(Array.from(out as Float64Array)).toEqual([3, 4, 6, 8]);
  });

  it('keeps the dtype of x', async () => {
    await tf.setBackend('wasm');
    const out = segmentSum(tf.tensor1d([1, 2], 'int32'), tf.tensor1d([0, 0], 'int32'), 1);
    expect(out.dtype).toBe('int32');
    expect(Array.from(out.dataSync())).toEqual([3]);
    out.dispose();
  });

  it('rejects unsupported dtypes with the expected message', async () => {
    await tf.setBackend('wasm');
    const ids = tf.tensor1d([0], 'int32');
    const flag = tf.tensor1d([1], 'bool');
    expect(() => segmentSum(flag, ids, 1)).toThrowError(new DTypeError('UnsortedSegmentSum (wasm): x dtype expected float32 or int32, got bool'));
    const floatIds = tf.tensor1d([0], 'float32');
    expect(() => segmentSum(tf.ones([1]), floatIds, 1)).toThrowError(new DTypeError('UnsortedSegmentSum (wasm): segmentIds dtype expected int32, got float32'));
    tf.dispose([ids, flag, floatIds]);
  });

  it('leaks neither tensors nor wasm memory', async () => {
    await tf.setBackend('wasm');
    const x = tensor(data(rng(3), [50, 8]));
    const ids = tf.tensor1d(Array.from({ length: 50 }, (_, i) => (i * 7) % 13), 'int32');
    const run = () => segmentSum(x, ids, 13).dispose();
    await expectNoWasmLeaks(run, 'UnsortedSegmentSum');
    tf.dispose([x, ids]);
  });
});

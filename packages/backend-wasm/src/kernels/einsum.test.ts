import { rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, expectNoWasmLeaks, onCpuAndWasm, runOn, tensor } from '../../test/helpers.js';

// Equations as layers write them: matrix and batched products, attention scores and
// values, a transpose, reductions, an outer product, and the identity (which must still
// return a tensor of its own).
const cases: [string, number[][]][] = [
  ['ij,jk->ik', [[3, 4], [4, 5]]],
  ['bij,bjk->bik', [[2, 3, 4], [2, 4, 2]]],
  ['bqhd,bkhd->bhqk', [[2, 3, 2, 4], [2, 5, 2, 4]]],
  ['bhqk,bkhd->bqhd', [[2, 2, 3, 5], [2, 5, 2, 4]]],
  ['ij->ji', [[3, 4]]],
  ['ij->', [[3, 4]]],
  ['i,i->', [[5], [5]]],
  ['i,j->ij', [[3], [4]]],
  ['ij->ij', [[2, 3]]],
];

describe('Einsum on wasm', () => {
  it.each(cases)('matches cpu: %s', async (equation, shapes) => {
    const r = rng(cases.findIndex(([e]) => e === equation) + 500);
    const operands = shapes.map((s) => data(r, s));
    const { cpu, wasm } = await onCpuAndWasm(() => tf.einsum(equation, ...operands.map(tensor)));
    expectClose(wasm, cpu, 1e-5, equation);
  });

  it('matches hand-computed values', async () => {
    // [[1, 2], [3, 4]] · [[5], [6]] = [[17], [39]].
    const [out] = await runOn('wasm', () => tf.einsum('ij,jk->ik', tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6], [2, 1])));
    expect(Array.from(out as Float64Array)).toEqual([17, 39]);
  });

  it('leaks neither tensors nor wasm memory, also for the identity', async () => {
    await tf.setBackend('wasm');
    const a = tensor(data(rng(1), [2, 3, 2, 4]));
    const b = tensor(data(rng(2), [2, 5, 2, 4]));
    const run = () => {
      tf.einsum('bqhd,bkhd->bhqk', a, b).dispose();
      tf.einsum('bqhd->bqhd', a).dispose();
    };
    await expectNoWasmLeaks(run, 'Einsum');
    expect(a.isDisposed).toBe(false);
    tf.dispose([a, b]);
  });
});

import { rng, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, expectNoWasmLeaks, onCpuAndWasm, runOn, tensor } from '../../test/helpers.js';

// a (…, m, k) · b (…, k, n) with every combination of transposes, ranks 2 and 3, and a
// batch that broadcasts.
const products: { label: string; a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [];
for (const transposeA of [false, true]) {
  for (const transposeB of [false, true]) {
    for (const [batchA, batchB] of [[[], []], [[3], [3]], [[1], [3]]] as number[][][]) {
      const a = [...(batchA as number[]), ...(transposeA ? [7, 5] : [5, 7])];
      const b = [...(batchB as number[]), ...(transposeB ? [4, 7] : [7, 4])];
      products.push({ label: `a [${a}]${transposeA ? 'ᵀ' : ''} · b [${b}]${transposeB ? 'ᵀ' : ''}`, a, b, transposeA, transposeB });
    }
  }
}

describe('BatchMatMul on wasm (explicit transposes)', () => {
  it.each(products.map((p) => [p.label, p] as const))('matches cpu: %s', async (_label, p) => {
    const r = rng(products.indexOf(p) + 600);
    const a = data(r, p.a);
    const b = data(r, p.b);
    const { cpu, wasm } = await onCpuAndWasm(() => tf.matMul(tensor(a), tensor(b), p.transposeA, p.transposeB));
    expectClose(wasm, cpu, 1e-5, p.label);
  });

  it('matches hand-computed values with transposeA and transposeB', async () => {
    // aᵀ = [[1, 3], [2, 4]], bᵀ = [[5, 7], [6, 8]]: aᵀ·bᵀ = [[23, 31], [34, 46]].
    const [out] = await runOn('wasm', () => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]), true, true));
    expect(Array.from(out as Float64Array)).toEqual([23, 31, 34, 46]);
  });
});

describe('_FusedMatMul on wasm (explicit transposes)', () => {
  it.each([
    [false, true, 'relu'],
    [true, false, 'linear'],
    [true, true, 'elu'],
  ] as const)('matches cpu: transposeA %s, transposeB %s, %s with bias', async (transposeA, transposeB, activation) => {
    const r = rng(700);
    const a = data(r, transposeA ? [6, 4] : [4, 6]);
    const b = data(r, transposeB ? [3, 6] : [6, 3]);
    const bias = data(r, [3]);
    const { cpu, wasm } = await onCpuAndWasm(() =>
      tf.fused.matMul({ a: tensor(a), b: tensor(b), transposeA, transposeB, bias: tensor(bias), activation }),
    );
    expectClose(wasm, cpu, 1e-5, `${activation}`);
  });

  it('leak neither tensors nor wasm memory', async () => {
    await tf.setBackend('wasm');
    const a = tensor(data(rng(1), [3, 6, 4]));
    const b = tensor(data(rng(2), [3, 5, 6]));
    const bias = tensor(data(rng(3), [5]));
    const run = () => {
      tf.matMul(a, b, true, true).dispose();
      tf.fused.matMul({ a: a.reshape([18, 4]), b: tf.ones([5, 4]), transposeB: true, bias, activation: 'relu' }).dispose();
    };
    await tf.ready();
    await expectNoWasmLeaks(() => tf.tidy(run), 'matMul');
    tf.dispose([a, b, bias]);
  });
});

import { expectNoLeaks, rng, tf, useBackend } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, onCpuAndNative, runOn, tensor, wasmDataIds } from '../../test/helpers.js';
import { sessionCount } from '../internal/graph.js';
import { setTuning } from '../internal/kernel.js';

// A randomized sweep: 24 products with random m, k, n in 1..40, ranks 2–4, batches that
// broadcast (one side 1), and every combination of transposes.
interface Product {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}
const sweep: Product[] = [];
{
  const r = rng(13);
  for (let i = 0; i < 24; i++) {
    const [m, k, n] = [1 + r.int(40), 1 + r.int(40), 1 + r.int(40)];
    const transposeA = i % 2 === 1;
    const transposeB = (i >> 1) % 2 === 1;
    const rank = 2 + r.int(3);
    const batch = Array.from({ length: rank - 2 }, () => 1 + r.int(3));
    const batchB = batch.map((d) => (r.int(3) === 0 ? 1 : d));
    sweep.push({
      a: [...batch, ...(transposeA ? [k, m] : [m, k])],
      b: [...batchB, ...(transposeB ? [n, k] : [k, n])],
      transposeA,
      transposeB,
    });
  }
}
const label = (p: Product) => `a [${p.a}]${p.transposeA ? 'ᵀ' : ''} · b [${p.b}]${p.transposeB ? 'ᵀ' : ''}`;

describe('BatchMatMul on native (ONNX Runtime)', () => {
  it.each(sweep.map((p) => [label(p), p] as const))('matches cpu within 1e-4: %s', async (_l, p) => {
    const r = rng(sweep.indexOf(p) + 100);
    const a = data(r, p.a);
    const b = data(r, p.b);
    const { cpu, native, sessions } = await onCpuAndNative(() => tf.matMul(tensor(a), tensor(b), p.transposeA, p.transposeB));
    expectClose(native, cpu, 1e-4, label(p));
    expect(sessions, 'ran on ONNX Runtime').toBeLessThanOrEqual(1);
  });

  it('matches hand-computed values with both operands transposed', async () => {
    const previous = setTuning('ort');
    try {
      // aᵀ = [[1, 3], [2, 4]], bᵀ = [[5, 7], [6, 8]]: aᵀ·bᵀ = [[23, 31], [34, 46]].
      const before = sessionCount();
      const [out] = await runOn('native', () => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]), true, true));
      expect(Array.from(out as Float64Array)).toEqual([23, 31, 34, 46]);
      expect(sessionCount()).toBe(before + 1);
    } finally {
      setTuning(previous);
    }
  });

  it('runs products under the crossover on the wasm kernel (no session)', async () => {
    const before = sessionCount();
    const [out] = await runOn('native', () => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2])));
    expect(Array.from(out as Float64Array)).toEqual([19, 22, 43, 50]);
    expect(sessionCount()).toBe(before);
  });

  it('gives int32 products to the wasm kernel, which refuses them as it does on wasm', async () => {
    const previous = setTuning('ort');
    try {
      const make = () => tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2], 'int32'), tf.tensor2d([5, 6, 7, 8], [2, 2], 'int32'));
      await expect(runOn('native', make)).rejects.toThrowError('BatchMatMul for non non-float32 tensors not yet supported.');
    } finally {
      setTuning(previous);
    }
  });
});

describe('_FusedMatMul on native (ONNX Runtime)', () => {
  it.each([
    [false, false, 'linear'],
    [false, true, 'relu'],
    [true, false, 'sigmoid'],
    [true, true, 'elu'],
    [false, false, 'leakyrelu'],
    [false, true, 'relu6'],
    [true, false, 'prelu'],
  ] as const)('matches cpu within 1e-4: transposeA %s, transposeB %s, %s with bias', async (transposeA, transposeB, activation) => {
    const r = rng(700);
    const a = data(r, transposeA ? [6, 4] : [4, 6]);
    const b = data(r, transposeB ? [3, 6] : [6, 3]);
    const bias = data(r, [3]);
    const alpha = data(r, [3]);
    const { cpu, native, sessions } = await onCpuAndNative(() =>
      tf.fused.matMul({
        a: tensor(a),
        b: tensor(b),
        transposeA,
        transposeB,
        bias: tensor(bias),
        activation,
        preluActivationWeights: activation === 'prelu' ? tensor(alpha) : undefined,
        leakyreluAlpha: 0.3,
      }),
    );
    expectClose(native, cpu, 1e-4, activation);
    expect(sessions).toBeLessThanOrEqual(1);
  });

  it('matches cpu on the gradients of a dense layer', async () => {
    const r = rng(701);
    const x = data(r, [8, 5]);
    const w = data(r, [5, 3]);
    const bias = data(r, [3]);
    const make = () => {
      const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => tf.fused.matMul({ a: xs, b: ws, bias: bs, activation: 'relu' }).square().sum();
      return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([tensor(x), tensor(w), tensor(bias)]);
    };
    const { cpu, native } = await onCpuAndNative(make);
    expectClose(native, cpu, 1e-4, 'dense gradients');
  });

  it('leaks neither tensors nor wasm memory', async () => {
    const previous = setTuning('ort');
    try {
      await useBackend('native');
      const a = tensor(data(rng(1), [3, 6, 4]));
      const b = tensor(data(rng(2), [3, 5, 6]));
      const bias = tensor(data(rng(3), [5]));
      const run = () =>
        tf.tidy(() => {
          tf.matMul(a, b, true, true);
          tf.fused.matMul({ a: a.reshape([18, 4]), b: tf.ones([5, 4]), transposeB: true, bias, activation: 'relu6' });
        });
      run();
      const ids = wasmDataIds();
      await expectNoLeaks(run, 'matMul on native');
      expect(wasmDataIds()).toBe(ids);
      tf.dispose([a, b, bias]);
    } finally {
      setTuning(previous);
    }
  });
});

// The fused attention path (one FusedAttention call and one FusedAttentionGrad call, on a
// backend that has them: 'native' in the project '@tensorloom/layers on native') against the
// general path on cpu: outputs, scores and every gradient within 1e-4 relative, over a
// randomized sweep. In the plain layers project no backend has the kernels and it is skipped.
import { describe, expect, it } from 'vitest';
import { FusedAttention, FusedAttentionGrad, type Rng, expectNoLeaks, hasKernel, registeredBackends, rng, tf, useBackend } from '@tensorloom/core';
import { MultiHeadAttention, causalMask, scaledDotProductAttention } from '@tensorloom/layers';

const fusedBackend = registeredBackends().includes('native') ? 'native' : null;

/** max |a − b| ≤ 1e-4 · max |b| for each pair. */
function expectClose(actual: Float32Array[], expected: Float32Array[], label: string): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    expect(got.length, `${label} #${i} size`).toBe(want.length);
    let scale = 0;
    let worst = 0;
    want.forEach((w, j) => {
      scale = Math.max(scale, Math.abs(w));
      worst = Math.max(worst, Math.abs(got[j]! - w));
    });
    expect(worst, `${label} #${i} max error (scale ${scale})`).toBeLessThanOrEqual(1e-4 * Math.max(scale, 1e-6));
  });
}

async function onBoth(make: () => tf.Tensor[]): Promise<{ cpu: Float32Array[]; fused: Float32Array[]; kernels: string[] }> {
  const read = (ts: tf.Tensor[]): Float32Array[] => ts.map((t) => t.dataSync() as Float32Array);
  await useBackend('cpu');
  expect(hasKernel(FusedAttention)).toBe(false);
  const cpu = tf.tidy(() => read(make()));
  await useBackend(fusedBackend!);
  expect(hasKernel(FusedAttention) && hasKernel(FusedAttentionGrad)).toBe(true);
  let fused: Float32Array[] = [];
  const profile = await tf.profile(() => {
    fused = tf.tidy(() => read(make()));
  });
  return { cpu, fused, kernels: profile.kernelNames };
}

type MaskKind = 'none' | 'causal' | 'padding';
const r = rng(31);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r.uniform() * xs.length)] as T;
const sdpaCases = Array.from({ length: 8 }, (_, i) => ({
  b: pick([1, 2, 3]),
  h: pick([1, 2, 4]),
  t: pick([1, 4, 9]),
  s: pick([3, 4, 7]),
  d: pick([2, 4, 8]),
  dv: pick([3, 4]),
  mask: (['none', 'causal', 'padding'] as const)[i % 3] as MaskKind,
  dropout: i % 4 === 1 ? 0.25 : 0,
}));

function mask4d(kind: MaskKind, b: number, t: number, s: number): tf.Tensor | null {
  if (kind === 'none') return null;
  if (kind === 'causal') return tf.reshape(causalMask(t, s), [1, 1, t, s]);
  const rows = Array.from({ length: b }, (_, bi) => Array.from({ length: s }, (_, j) => j < s - bi));
  return tf.tensor(rows.flat(), [b, 1, 1, s], 'bool');
}

describe.runIf(fusedBackend !== null)('attention on the fused kernels', () => {
  it.each(sdpaCases.map((c) => [JSON.stringify(c), c] as const))('scaledDotProductAttention matches the general path on cpu: %s', async (_l, c) => {
    const seed = sdpaCases.indexOf(c);
    const { cpu, fused, kernels } = await onBoth(() => {
      const q = rng(seed + 1).normalTensor([c.b, c.h, c.t, c.d]);
      const k = rng(seed + 2).normalTensor([c.b, c.h, c.s, c.d]);
      const v = rng(seed + 3).normalTensor([c.b, c.h, c.s, c.dv]);
      const dy = rng(seed + 4).normalTensor([c.b, c.h, c.t, c.dv]);
      const mask = mask4d(c.mask, c.b, c.t, c.s);
      const run = (dropRng: Rng | null) => scaledDotProductAttention(q, k, v, { mask, dropoutRate: c.dropout, rng: dropRng });
      const { output, scores } = run(c.dropout > 0 ? rng(5) : null);
      const grads = tf.grads((qi: tf.Tensor, ki: tf.Tensor, vi: tf.Tensor) => {
        const out = scaledDotProductAttention(qi, ki, vi, { mask, dropoutRate: c.dropout, rng: c.dropout > 0 ? rng(5) : null }).output;
        return tf.sum(tf.mul(out, dy));
      })([q, k, v]);
      return [output, scores, ...grads];
    });
    if (c.t > 1) {
      expect(kernels).toContain(FusedAttention);
      expect(kernels).toContain(FusedAttentionGrad);
    } else {
      // A single query (a cached decoding step) keeps the general path: no session per key length.
      expect(kernels).not.toContain(FusedAttention);
    }
    expectClose(fused, cpu, 'output, scores, dq, dk, dv');
  });

  it.each([
    { title: 'self-attention, key padding mask', t: 5, s: 5, keyMask: true, causal: false, dropout: 0 },
    { title: 'cross-attention (T ≠ S), causal', t: 3, s: 6, keyMask: false, causal: true, dropout: 0 },
    { title: 'causal and padding, dropout in training', t: 4, s: 4, keyMask: true, causal: true, dropout: 0.2 },
  ])('MultiHeadAttention: output and the gradients of inputs and weights match on cpu: $title', async ({ t, s, keyMask, causal, dropout }) => {
    const b = 2;
    const { cpu, fused, kernels } = await onBoth(() => {
      const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 3, dropout }).build({ query: [null, t, 6], value: [null, s, 5] }, rng(3));
      const query = rng(11).normalTensor([b, t, 6]);
      const value = rng(12).normalTensor([b, s, 5]);
      const dy = rng(13).normalTensor([b, t, 6]);
      const km = keyMask ? tf.tensor([[1, 1, 1, 1, 1, 0].slice(-s), [1, 0, 1, 1, 0, 1].slice(0, s)].flat(), [b, s]) : undefined;
      // Not key.bias: softmax ignores a shift of every logit of a row, so its gradient is 0 and
      // both sides give float32 noise (~1e-7); it is checked to be that below.
      const keyBias = mha.trainableParameters()['key.bias']!;
      const params = Object.values(mha.trainableParameters()).filter((p) => p !== keyBias);
      const f = (qi: tf.Tensor, vi: tf.Tensor): tf.Scalar =>
        tf.sum(tf.mul(mha.apply({ query: qi, value: vi }, { keyMask: km, useCausalMask: causal, training: dropout > 0 }) as tf.Tensor, dy));
      const { value: loss, grads } = tf.variableGrads(() => f(query, value), params);
      const inputGrads = tf.grads(f)([query, value]);
      const keyBiasGrad = tf.variableGrads(() => f(query, value), [keyBias]).grads[keyBias.name]!;
      expect(tf.max(tf.abs(keyBiasGrad)).dataSync()[0]).toBeLessThan(1e-5);
      const out = [loss, ...params.map((p) => grads[p.name]!), ...inputGrads];
      mha.dispose();
      return out;
    });
    expect(kernels).toContain(FusedAttentionGrad);
    expectClose(fused, cpu, 'loss, weight gradients, input gradients');
  });

  it('leaves no tensor behind, in inference, with scores, and under gradients', async () => {
    await useBackend(fusedBackend!);
    const mha = new MultiHeadAttention({ numHeads: 2, keyDim: 4, dropout: 0.1 }).build({ query: [null, 5, 8], value: [null, 5, 8] }, rng(1));
    const x = rng(2).normalTensor([2, 5, 8]);
    const run = (): void => {
      tf.dispose(mha.apply({ query: x, value: x }, { useCausalMask: true }) as tf.Tensor);
      const { output, scores } = mha.apply({ query: x, value: x }, { returnAttentionScores: true }) as { output: tf.Tensor; scores: tf.Tensor };
      tf.dispose([output, scores]);
      const { value, grads } = tf.variableGrads(() => tf.sum(mha.apply({ query: x, value: x }, { training: true }) as tf.Tensor) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
    };
    run();
    await expectNoLeaks(run, 'MultiHeadAttention on the fused kernels');
    x.dispose();
    mha.dispose();
  });
});

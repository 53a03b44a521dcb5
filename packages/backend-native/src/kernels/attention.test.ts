import { FusedAttention, FusedAttentionGrad, expectNoLeaks, rng, tf, useBackend } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, runOn, tensor, wasmDataIds } from '../../test/helpers.js';

type Layout = 'bhtd' | 'bthd';
type MaskKind = 'none' | 'causal' | 'padding';

interface Case {
  b: number;
  h: number;
  t: number;
  s: number;
  d: number;
  dv: number;
  mask: MaskKind;
  layout: Layout;
  dropout: boolean;
}

// A randomized sweep: query length ≠ key length, every mask kind, both layouts, dropout.
const r = rng(2024);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r.uniform() * xs.length)] as T;
const cases: Case[] = Array.from({ length: 14 }, (_, i) => ({
  b: pick([1, 2, 3]),
  h: pick([1, 2, 4]),
  t: pick([1, 3, 8, 17]),
  s: pick([2, 5, 8, 12]),
  d: pick([1, 4, 8, 16]),
  dv: pick([2, 4, 8]),
  mask: (['none', 'causal', 'padding'] as const)[i % 3]!,
  layout: i % 2 === 0 ? 'bhtd' : 'bthd',
  dropout: i % 4 === 3,
}));

/** Float 0/1 mask values, rank 4; padding masks the last keys of each batch (all of batch 0's last row of keys when s ≤ 2). */
function maskData(c: Case): { values: Float32Array; shape: number[] } | null {
  if (c.mask === 'none') return null;
  if (c.mask === 'causal') {
    const values = new Float32Array(c.t * c.s);
    for (let i = 0; i < c.t; i++) for (let j = 0; j <= i && j < c.s; j++) values[i * c.s + j] = 1;
    return { values, shape: [1, 1, c.t, c.s] };
  }
  const values = new Float32Array(c.b * c.s);
  for (let bi = 0; bi < c.b; bi++) for (let j = 0; j < c.s; j++) values[bi * c.s + j] = j < c.s - bi - 1 ? 1 : 0;
  return { values, shape: [c.b, 1, 1, c.s] };
}

function keepData(c: Case): { values: Float32Array; shape: number[] } | null {
  if (!c.dropout) return null;
  const rr = rng(7);
  const shape = [c.b, c.h, c.t, c.s];
  return { values: rr.fill(shape.reduce((a, x) => a * x, 1), () => (rr.uniform() < 0.8 ? 1 / 0.8 : 0)), shape };
}

/** The general path's formula with plain ops (bhtd), for the cpu reference. */
function reference(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, mask: tf.Tensor | null, keep: tf.Tensor | null, scale: number): tf.Tensor[] {
  let logits = tf.matMul(tf.mul(q, scale), k, false, true);
  if (mask !== null) logits = tf.add(logits, tf.mul(tf.sub(mask, 1), 1e9));
  let w = tf.softmax(logits);
  if (mask !== null) w = tf.mul(w, tf.max(mask, -1, true));
  return [tf.matMul(keep === null ? w : tf.mul(w, keep), v), w];
}

const toHeads = (x: tf.Tensor, layout: Layout): tf.Tensor => (layout === 'bthd' ? tf.transpose(x, [0, 2, 1, 3]) : x);

describe('FusedAttention and FusedAttentionGrad on native', () => {
  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('match the general path on cpu within 1e-4: %s', async (_l, c) => {
    const scale = 1 / Math.sqrt(c.d);
    const lay = (l: number, d: number): number[] => (c.layout === 'bthd' ? [c.b, l, c.h, d] : [c.b, c.h, l, d]);
    const seed = cases.indexOf(c) * 10;
    const qd = data(rng(seed + 1), lay(c.t, c.d));
    const kd = data(rng(seed + 2), lay(c.s, c.d));
    const vd = data(rng(seed + 3), lay(c.s, c.dv));
    const dyd = data(rng(seed + 4), lay(c.t, c.dv));
    const md = maskData(c);
    const kpd = keepData(c);
    const cpu = await runOn('cpu', () => {
      const [q, k, v, dy] = [qd, kd, vd, dyd].map(tensor) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const mask = md === null ? null : tensor(md);
      const keep = kpd === null ? null : tensor(kpd);
      const f = (qi: tf.Tensor, ki: tf.Tensor, vi: tf.Tensor): tf.Tensor =>
        toHeads(reference(toHeads(qi, c.layout), toHeads(ki, c.layout), toHeads(vi, c.layout), mask, keep, scale)[0]!, c.layout);
      const [out, w] = reference(toHeads(q, c.layout), toHeads(k, c.layout), toHeads(v, c.layout), mask, keep, scale);
      const grads = tf.grads((qi: tf.Tensor, ki: tf.Tensor, vi: tf.Tensor) => tf.sum(tf.mul(f(qi, ki, vi), dy)))([q, k, v], undefined);
      return [toHeads(out!, c.layout), w!, ...grads];
    });
    const native = await runOn('native', () => {
      const [q, k, v, dy] = [qd, kd, vd, dyd].map(tensor) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const extra: tf.NamedTensorMap = {};
      if (md !== null) extra.mask = tensor(md);
      if (kpd !== null) extra.keep = tensor(kpd);
      const attrs = { scale, layout: c.layout };
      const [out, weights] = tf.engine().runKernel(FusedAttention, { q, k, v, ...extra }, attrs) as tf.Tensor[];
      const gradInputs: tf.NamedTensorMap = { dy, q, k, v, weights: weights! };
      if (extra.keep) gradInputs.keep = extra.keep;
      const grads = tf.engine().runKernel(FusedAttentionGrad, gradInputs, attrs) as tf.Tensor[];
      return [out!, weights!, ...grads];
    });
    expectClose(native, cpu, 1e-4, 'output, weights, dq, dk, dv');
  });

  it('gives a row whose keys are all masked zero weights and a zero output', async () => {
    const [out, weights] = await runOn('native', () => {
      const q = tf.ones([1, 1, 2, 4]);
      const mask = tf.tensor4d([0, 0, 0, 1, 1, 1], [1, 1, 2, 3]);
      return tf.engine().runKernel(FusedAttention, { q, k: tf.ones([1, 1, 3, 4]), v: tf.ones([1, 1, 3, 2]), mask }, { scale: 0.5, layout: 'bhtd' }) as tf.Tensor[];
    });
    expect([...out!]).toEqual([0, 0, 1, 1].map((x) => expect.closeTo(x, 6)));
    expect([...weights!].slice(0, 3)).toEqual([0, 0, 0]);
  });

  it('leaks neither tensors nor wasm memory', async () => {
    await useBackend('native');
    const q = tf.randomNormal([2, 2, 5, 4]);
    const run = (): void => {
      tf.tidy(() => {
        const [out, weights] = tf.engine().runKernel(FusedAttention, { q, k: q, v: q }, { scale: 0.5, layout: 'bhtd' }) as tf.Tensor[];
        return tf.engine().runKernel(FusedAttentionGrad, { dy: out!, q, k: q, v: q, weights: weights! }, { scale: 0.5, layout: 'bhtd' }) as tf.Tensor[];
      }).forEach((t) => t.dispose());
    };
    run();
    const ids = wasmDataIds();
    await expectNoLeaks(run, 'FusedAttention on native');
    expect(wasmDataIds()).toBe(ids);
    q.dispose();
  });
});

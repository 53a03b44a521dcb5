import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, tf } from '@tensorloom/core';
import { clipByGlobalNorm, clipByNorm, clipByValue } from '../index.js';
import fixtures from '../__fixtures__/clipping.json' with { type: 'json' };

function record(values: Record<string, number[]>, shapes: Record<string, number[]>): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, tf.tensor(v, shapes[k])]));
}

describe('clipping', () => {
  it.each(fixtures.map((c) => [c.maxNorm, c] as const))('clipByGlobalNorm(%s) matches torch.nn.utils.clip_grad_norm_', async (_m, c) => {
    const grads = record(c.grads, c.shapes);
    const out = await expectNoLeaks(() => clipByGlobalNorm(grads, c.maxNorm));
    expect(out.globalNorm.dataSync()[0]).toBeCloseTo(c.norm, 4);
    for (const [k, want] of Object.entries(c.clipped)) {
      const got = out.grads[k].dataSync();
      want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 5));
    }
    tf.dispose([out.globalNorm, Object.values(out.grads), Object.values(grads)]);
  });

  it('clips by value and by per-tensor norm (hand-computed)', () => {
    const grads = { a: tf.tensor1d([3, -4]), b: tf.tensor1d([0.1, -0.2]) };
    const v = clipByValue(grads, 1);
    expect(Array.from(v.a.dataSync())).toEqual([1, -1]);
    expect(Array.from(v.b.dataSync())).toEqual([0.1, -0.2].map(Math.fround));
    const n = clipByNorm(grads, 1); // ‖a‖ = 5 → a/5; ‖b‖ < 1 → unchanged
    expect(Array.from(n.a.dataSync())).toEqual([0.6, -0.8].map(Math.fround));
    expect(Array.from(n.b.dataSync())).toEqual([0.1, -0.2].map(Math.fround));
    tf.dispose([Object.values(v), Object.values(n), Object.values(grads)]);
  });

  it('reports a non-finite global norm and rejects bad limits', () => {
    const grads = { a: tf.tensor1d([NaN, 1]) };
    const out = clipByGlobalNorm(grads, 1);
    expect(Number.isNaN(out.globalNorm.dataSync()[0])).toBe(true);
    tf.dispose([out.globalNorm, Object.values(out.grads), grads.a]);
    expect(() => clipByGlobalNorm({}, 0)).toThrowError(new ConfigError('clipByGlobalNorm: maxNorm expected a finite number > 0, got 0'));
    expect(() => clipByValue({}, -1)).toThrowError('clipByValue: limit expected a finite number > 0, got -1');
    expect(() => clipByNorm({}, Infinity)).toThrowError('clipByNorm: maxNorm expected a finite number > 0, got Infinity');
  });
});

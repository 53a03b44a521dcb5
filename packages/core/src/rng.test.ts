import { describe, expect, it } from 'vitest';
import { ConfigError, Rng, rng, tf, useBackend } from '@tensorloom/core';

describe('Rng', () => {
  it('gives the same stream for the same seed and different ones for different seeds', () => {
    const a = rng(42);
    const b = rng(42);
    const c = rng(43);
    const sa = Array.from({ length: 8 }, () => a.uint32());
    expect(Array.from({ length: 8 }, () => b.uint32())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.uint32())).not.toEqual(sa);
  });

  it('distinguishes seeds that differ only above 32 bits', () => {
    expect(rng(1).uint32()).not.toBe(rng(2 ** 32 + 1).uint32());
  });

  it('makes bit-identical tensors for the same seed on the same backend', async () => {
    await useBackend('cpu');
    const make = (seed: number): Float32Array => {
      const r = rng(seed);
      const [init, noise] = r.split(2);
      const w = init!.truncatedNormalTensor([16, 8], 0, 0.1);
      const x = tf.add(w, noise!.uniformTensor([16, 8], -1, 1));
      const out = x.dataSync() as Float32Array;
      tf.dispose([w, x]);
      return out;
    };
    const first = make(7);
    const second = make(7);
    expect(Buffer.from(second.buffer).equals(Buffer.from(first.buffer))).toBe(true);
    expect(Buffer.from(make(8).buffer).equals(Buffer.from(first.buffer))).toBe(false);
  });

  it('split children are independent of each other and of the parent', () => {
    const parent = rng(1);
    const [a, b] = parent.split(2);
    const xs = Array.from({ length: 4 }, () => a!.uint32());
    const ys = Array.from({ length: 4 }, () => b!.uint32());
    const zs = Array.from({ length: 4 }, () => parent.uint32());
    expect(xs).not.toEqual(ys);
    expect(xs).not.toEqual(zs);
  });

  it('fold derives the same child for the same key without advancing the parent', () => {
    const r = rng(5);
    const before = r.getState();
    const k1 = r.fold('conv1.kernel').uint32();
    const k2 = r.fold('conv1.kernel').uint32();
    const k3 = r.fold('conv2.kernel').uint32();
    expect(k1).toBe(k2);
    expect(k1).not.toBe(k3);
    expect(r.getState()).toEqual(before);
  });

  it('fold distinguishes numeric keys beyond 32 bits and rejects non-integers', () => {
    const r = rng(11);
    expect(r.fold(2 ** 32).uint32()).not.toBe(r.fold(0).uint32());
    expect(r.fold(3).uint32()).toBe(r.fold(3).uint32());
    expect(() => r.fold(0.5)).toThrowError('rng.fold: key expected a string or a safe integer, got 0.5');
  });

  it('resumes from a saved state', () => {
    const r = rng(9);
    r.uint32();
    const copy = new Rng(r.getState());
    expect(copy.uint32()).toBe(r.uint32());
    expect(r.clone().uniform()).toBe(r.uniform());
  });

  it('draws in range with plausible moments', () => {
    const r = rng(3);
    const n = 20000;
    let sum = 0;
    let sq = 0;
    let maxInt = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      sum += z;
      sq += z * z;
      maxInt = Math.max(maxInt, r.int(6));
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
    expect(maxInt).toBe(5);
  });

  it('truncated normal stays within two standard deviations', () => {
    const t = rng(4).truncatedNormalTensor([1000], 1, 0.5);
    const v = t.dataSync();
    expect(Math.max(...v)).toBeLessThanOrEqual(2);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    t.dispose();
  });

  it('permutation is a permutation and shuffle keeps the elements', () => {
    const p = Array.from(rng(2).permutation(50)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(rng(2).shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('rejects bad seeds and bad ranges with named errors', () => {
    expect(() => rng(1.5)).toThrowError(new ConfigError('rng: seed must be an integer, got 1.5'));
    expect(() => rng(1).int(0)).toThrowError('rng.int: n must be an integer in [1, 2**32], got 0');
    expect(() => new Rng([1, 2, 3])).toThrowError('rng: state must have 4 words, got 3');
  });
});

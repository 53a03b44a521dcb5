// copyBox on a plain byte array against a per-element reference: for each output index,
// the input index it must come from, by row-major strides.
import { rng } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { bytesOnHeap, copyBox } from './copy-box.js';

/** What copyBox must produce: the box's elements one by one, in row-major order. */
function referenceBox(x: Uint8Array, shape: number[], begin: number[], size: number[], bytes: number): Uint8Array {
  const total = size.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(total * bytes);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  for (let o = 0; o < total; o++) {
    let rest = o;
    let flat = 0;
    for (let i = size.length - 1; i >= 0; i--) {
      const n = size[i] as number;
      flat += ((rest % n) + (begin[i] as number)) * (strides[i] as number);
      rest = Math.floor(rest / n);
    }
    out.set(x.subarray(flat * bytes, (flat + 1) * bytes), o * bytes);
  }
  return out;
}

interface Case {
  label: string;
  shape: number[];
  begin: number[];
  size: number[];
}

// Hand-picked layouts: each path of copyBox (one run, one loop, odometer; word, byte and
// copyWithin copies; merged loops; size-1 axes) at least once.
const cases: Case[] = [
  { label: 'rank 0', shape: [], begin: [], size: [] },
  { label: 'whole array (one run)', shape: [3, 4, 5], begin: [0, 0, 0], size: [3, 4, 5] },
  { label: 'one time step (one run)', shape: [28, 4, 8], begin: [5, 0, 0], size: [1, 4, 8] },
  { label: 'leading rows (one run)', shape: [6, 5], begin: [2, 0], size: [3, 5] },
  { label: 'a column (loop of 1-element runs)', shape: [6, 5], begin: [0, 3], size: [6, 1] },
  { label: 'gate columns (loop of long runs)', shape: [4, 64], begin: [0, 16], size: [4, 16] },
  { label: 'inner block (odometer)', shape: [4, 5, 6], begin: [1, 1, 2], size: [2, 3, 3] },
  { label: 'size-1 middle axis', shape: [4, 5, 6], begin: [0, 2, 0], size: [4, 1, 6] },
  { label: 'mergeable outer loops', shape: [3, 4, 5, 6], begin: [0, 0, 1, 2], size: [3, 4, 1, 3] },
  { label: 'rank 6', shape: [2, 3, 2, 3, 2, 4], begin: [1, 0, 1, 1, 0, 1], size: [1, 3, 1, 2, 2, 2] },
  { label: 'zero-size box', shape: [4, 5], begin: [1, 2], size: [2, 0] },
];

describe('copyBox', () => {
  for (const bytes of [4, 1]) {
    it.each(cases.map((c) => [c.label, c] as const))(`copies the box like the reference (${bytes}-byte elements): %s`, (_label, c) => {
      const r = rng(cases.indexOf(c) + 10 * bytes);
      const size = c.shape.reduce((a, b) => a * b, 1) * bytes;
      const heap = new Uint8Array(2 * size + 64);
      heap.set(Uint8Array.from({ length: size }, () => r.int(256)), 8);
      const dst = 16 + size;
      const before = heap.slice();
      copyBox(heap, 8, c.shape, c.begin, c.size, dst, bytes);
      const want = referenceBox(heap.subarray(8, 8 + size), c.shape, c.begin, c.size, bytes);
      expect(Array.from(heap.subarray(dst, dst + want.length))).toEqual(Array.from(want));
      // Nothing outside the output was written.
      expect(Array.from(heap.subarray(0, dst))).toEqual(Array.from(before.subarray(0, dst)));
      expect(Array.from(heap.subarray(dst + want.length))).toEqual(Array.from(before.subarray(dst + want.length)));
    });
  }

  it('copies random boxes of ranks 1 to 6 like the reference', () => {
    const r = rng(7);
    for (let trial = 0; trial < 300; trial++) {
      const rank = 1 + r.int(6);
      const shape = Array.from({ length: rank }, () => 1 + r.int(5));
      const begin = shape.map((d) => r.int(d));
      const size = shape.map((d, i) => r.int(d - (begin[i] as number) + 1));
      const bytes = r.bernoulli(0.5) ? 4 : 1;
      const n = shape.reduce((a, b) => a * b, 1) * bytes;
      const heap = new Uint8Array(2 * n + 16);
      heap.set(Uint8Array.from({ length: n }, () => r.int(256)));
      copyBox(heap, 0, shape, begin, size, n + 8, bytes);
      const want = referenceBox(heap.subarray(0, n), shape, begin, size, bytes);
      expect(Array.from(heap.subarray(n + 8, n + 8 + want.length)), JSON.stringify({ shape, begin, size, bytes })).toEqual(Array.from(want));
    }
  });

  it('knows which dtypes live on the heap', () => {
    expect(['float32', 'int32', 'bool', 'string', 'complex64'].map(bytesOnHeap)).toEqual([4, 4, 1, null, null]);
  });
});

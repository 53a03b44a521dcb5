import { expectNoLeaks, rng, tf, useBackend } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { data, expectClose, onCpuAndNative, runOn, tensor, wasmDataIds } from '../../test/helpers.js';
import { sessionCount } from '../internal/graph.js';
import { setTuning } from '../internal/kernel.js';

// Sums of 65,536 elements and more (smaller ones stay on wasm), over every kind of axis.
const cases: { shape: number[]; axis: number | number[]; keepDims: boolean }[] = [
  { shape: [1792, 64], axis: 0, keepDims: false }, // a bias gradient
  { shape: [1024, 80], axis: 1, keepDims: true },
  { shape: [16, 64, 72], axis: [0, 1], keepDims: false },
  { shape: [16, 64, 72], axis: -1, keepDims: false },
  { shape: [8, 32, 16, 20], axis: [1, 3], keepDims: true },
  { shape: [300, 300], axis: [0, 1], keepDims: false }, // to a scalar
];

describe('Sum on native (ONNX Runtime ReduceSum)', () => {
  it.each(cases.map((c) => [`[${c.shape}] over ${c.axis}${c.keepDims ? ', keepDims' : ''}`, c] as const))('matches cpu within 1e-4: %s', async (_l, c) => {
    const x = data(rng(cases.indexOf(c) + 300), c.shape);
    const { cpu, native, sessions } = await onCpuAndNative(() => {
      const out = tf.sum(tensor(x), c.axis, c.keepDims);
      return [out, tf.tensor1d(out.shape.length === 0 ? [-1] : out.shape)];
    });
    expectClose(native, cpu, 1e-4, `${c.axis}`);
    expect(sessions).toBe(1);
  });

  it('leaves small and int32 sums to wasm', async () => {
    const previous = setTuning('ort');
    try {
      const before = sessionCount();
      const [small] = await runOn('native', () => tf.sum(tf.ones([100, 100]), 0));
      const [ints] = await runOn('native', () => tf.sum(tf.ones([300, 300], 'int32')));
      expect(small?.[0]).toBe(100);
      expect(ints?.[0]).toBe(90_000);
      expect(sessionCount()).toBe(before);
    } finally {
      setTuning(previous);
    }
  });

  it('leaks neither tensors nor wasm memory', async () => {
    const previous = setTuning('ort');
    try {
      await useBackend('native');
      const x = tensor(data(rng(9), [512, 256]));
      const run = () => tf.tidy(() => [tf.sum(x, 0), tf.sum(x, [0, 1], true)]).forEach((t) => t.dispose());
      run();
      const ids = wasmDataIds();
      await expectNoLeaks(run, 'Sum on native');
      expect(wasmDataIds()).toBe(ids);
      x.dispose();
    } finally {
      setTuning(previous);
    }
  });
});

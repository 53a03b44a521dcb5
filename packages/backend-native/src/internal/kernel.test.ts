import { tf, useBackend } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { setNativeKernelChoice } from '../index.js';
import { sessionCount } from './graph.js';
import { choosePath, resetTimings, setCrossoverFlops, setTuning, tunedChoices } from './kernel.js';

describe("the choice between ONNX Runtime and the light kernel", () => {
  it("'auto': the first call makes the session, four timed calls alternate, then the faster path stays", () => {
    resetTimings();
    const calls: string[] = [];
    const info = { dataId: {}, shape: [1], dtype: 'float32' as const };
    const ort = () => (calls.push('ort'), info);
    const light = () => {
      calls.push('light');
      const until = performance.now() + 2; // the slower path here
      while (performance.now() < until);
      return info;
    };
    for (let i = 0; i < 8; i++) expect(choosePath('sig', ort, light)).toBe(info);
    expect(calls).toEqual(['ort', 'ort', 'light', 'ort', 'light', 'ort', 'ort', 'ort']);
    expect(tunedChoices().get('sig')).toBe('ort');
  });

  it("'fixed' (setNativeKernelChoice): ONNX Runtime above the crossover on every call, untimed; the wasm kernel below it", async () => {
    resetTimings();
    const calls: string[] = [];
    const info = { dataId: {}, shape: [1], dtype: 'float32' as const };
    expect(setNativeKernelChoice('fixed')).toBe('timed');
    try {
      for (let i = 0; i < 6; i++) choosePath('fixed-sig', () => (calls.push('ort'), info), () => (calls.push('light'), info));
      expect(calls).toEqual(Array(6).fill('ort'));
      expect(tunedChoices().has('fixed-sig')).toBe(false);
      await useBackend('native');
      const before = sessionCount();
      tf.tidy(() => tf.matMul(tf.ones([3, 3]), tf.ones([3, 3])).dataSync()); // under the crossover
      expect(sessionCount()).toBe(before);
      expect(() => setNativeKernelChoice('fast' as never)).toThrow("setNativeKernelChoice: mode expected 'timed' or 'fixed', got \"fast\"");
    } finally {
      expect(setNativeKernelChoice('timed')).toBe('fixed');
    }
  });

  it("'ort' always takes ONNX Runtime and 'light' never does", async () => {
    await useBackend('native');
    const previous = setTuning('light');
    const before = sessionCount();
    try {
      tf.tidy(() => tf.matMul(tf.ones([200, 200]), tf.ones([200, 200])).dataSync());
      expect(sessionCount()).toBe(before);
      setTuning('ort');
      const previousCrossover = setCrossoverFlops(1e12);
      tf.tidy(() => tf.matMul(tf.ones([3, 3]), tf.ones([3, 3])).dataSync());
      setCrossoverFlops(previousCrossover);
      expect(sessionCount()).toBe(before + 1);
    } finally {
      setTuning(previous);
    }
  });
});

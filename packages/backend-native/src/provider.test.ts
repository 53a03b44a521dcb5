import { currentBackend, registeredBackends, tf, useBackend } from '@tensorloom/core';
import { wasmTrainingKernels } from '@tensorloom/backend-wasm';
import { describe, expect, it } from 'vitest';
import { nativeCrossoverFlops, nativeKernels, nativeThreads, setNativeThreads } from './index.js';
import { heavyKernels } from './internal/backend.js';
import { sessionCount } from './internal/graph.js';

describe('@tensorloom/backend-native registration', () => {
  it('leaves the backend in use alone until one is chosen', () => {
    expect(tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0])).toBe(3);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('registers the native provider with core, ahead of wasm and cpu', () => {
    expect(registeredBackends()).toEqual(['native', 'wasm', 'cpu']);
  });

  it("useBackend('auto') picks native", async () => {
    await expect(useBackend('auto')).resolves.toBe('native');
    expect(tf.getBackend()).toBe('native');
    expect(currentBackend()).toBe('native');
  });

  it('lists the kernels it runs on ONNX Runtime', () => {
    expect(nativeKernels).toEqual([
      'BatchMatMul',
      '_FusedMatMul',
      'Conv2D',
      'FusedConv2D',
      'Conv2DBackpropInput',
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNative',
      'FusedDepthwiseConv2D',
      'DepthwiseConv2dNativeBackpropInput',
      'DepthwiseConv2dNativeBackpropFilter',
      'Sum',
      'TensorloomFusedAttention',
      'TensorloomFusedAttentionGrad',
      'TensorloomFusedLayerNorm',
      'TensorloomFusedLayerNormGrad',
      'TensorloomFusedLstmSequence',
      'TensorloomFusedLstmSequenceGrad',
      'TensorloomFusedGruSequence',
      'TensorloomFusedGruSequenceGrad',
    ]);
  });

  it("has every wasm kernel, backend-wasm's training kernels included, and its own heavy ones", async () => {
    await useBackend('native');
    const native = new Map(tf.getKernelsForBackend('native').map((k) => [k.kernelName, k]));
    for (const k of tf.getKernelsForBackend('wasm')) expect(native.has(k.kernelName), k.kernelName).toBe(true);
    for (const name of wasmTrainingKernels) {
      if (nativeKernels.includes(name)) continue;
      expect(native.get(name)?.kernelFunc, name).toBe(tf.getKernel(name, 'wasm')?.kernelFunc);
    }
    for (const heavy of heavyKernels) expect(native.get(heavy.kernelName)?.kernelFunc).toBe(heavy.kernelFunc);
  });

  it('shares tensors with wasm without copying them', async () => {
    await useBackend('wasm');
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    await useBackend('native');
    const b = tf.add(a, 1);
    expect(Array.from(b.dataSync())).toEqual([2, 3, 4, 5]);
    expect(tf.engine().backend).toBe(tf.findBackend('wasm'));
    await useBackend('cpu');
    expect(Array.from(tf.mul(b, 2).dataSync())).toEqual([4, 6, 8, 10]); // moved to cpu
    tf.dispose([a, b]);
  });

  it('runs a product above the crossover on ONNX Runtime', async () => {
    await useBackend('native');
    expect(nativeCrossoverFlops()).toBeGreaterThan(0);
    const before = sessionCount();
    const out = tf.tidy(() => tf.matMul(tf.ones([128, 128]), tf.ones([128, 128])).sum().dataSync()[0]);
    expect(out).toBe(128 * 128 * 128);
    expect(sessionCount()).toBe(before + 1);
  });

  it('sets the thread count, dropping the sessions made with another', () => {
    const threads = nativeThreads();
    expect(threads).toBeGreaterThanOrEqual(1);
    setNativeThreads(threads + 1);
    expect(sessionCount()).toBe(0);
    expect(nativeThreads()).toBe(threads + 1);
    setNativeThreads(threads);
    expect(() => setNativeThreads(0)).toThrowError('setNativeThreads: count expected an integer >= 1, got 0');
  });
});

import { BackendError, currentBackend, registeredBackends, tf, useBackend } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, setWasmPaths, wasmTrainingKernels } from './index.js';
import { sliceConfig } from './kernels/slice.js';
import { splitVConfig } from './kernels/split-v.js';
import { unpackConfig } from './kernels/unpack.js';

describe('@tensorloom/backend-wasm registration', () => {
  it('leaves the backend in use alone until one is chosen', () => {
    // tfjs would otherwise pick wasm (priority 2) on the first operation and throw until it
    // finished initialising; this package registers it below cpu.
    expect(tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0])).toBe(3);
    expect(tf.getBackend()).toBe('cpu');
  });

  it('registers the wasm provider with core, ahead of cpu', () => {
    expect(registeredBackends()).toEqual(['wasm', 'cpu']);
  });

  it("useBackend('wasm') selects tfjs's wasm backend", async () => {
    await expect(useBackend('wasm')).resolves.toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(currentBackend()).toBe('wasm');
    await useBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it("useBackend('auto') picks wasm", async () => {
    await expect(useBackend('auto')).resolves.toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('lists the kernels it adds and the ones it replaces', () => {
    expect(wasmTrainingKernels).toEqual([
      // added: tfjs-backend-wasm 4.22 has none
      'Conv2DBackpropFilter',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'UnsortedSegmentSum',
      'Einsum',
      // replaced: faster, or correct where tfjs's is wrong
      'Conv2DBackpropInput',
      'BatchMatMul',
      '_FusedMatMul',
      'Slice',
      'SplitV',
      'Unpack',
      'MaxPoolGrad',
      'AvgPoolGrad',
      'ResizeNearestNeighborGrad',
      'ResizeBilinearGrad',
    ]);
  });

  it('registers every kernel of wasmTrainingKernels, idempotently', async () => {
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    const wasm = new Map(tf.getKernelsForBackend('wasm').map((k) => [k.kernelName, k]));
    for (const name of wasmTrainingKernels) expect(wasm.has(name), name).toBe(true);
    // Ours, not tfjs-backend-wasm's, answer for the replaced slicing kernels.
    expect(wasm.get('Slice')?.kernelFunc).toBe(sliceConfig.kernelFunc);
    expect(wasm.get('SplitV')?.kernelFunc).toBe(splitVConfig.kernelFunc);
    expect(wasm.get('Unpack')?.kernelFunc).toBe(unpackConfig.kernelFunc);
    // A second registration must not keep our own BatchMatMul as "the original" it calls:
    // that would recurse forever.
    await useBackend('wasm');
    const product = tf.tidy(() => Array.from(tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.eye(2), true).dataSync()));
    expect(product).toEqual([1, 3, 2, 4]);
  });

  it('forwards setWasmPaths to tfjs-backend-wasm', () => {
    expect(() => setWasmPaths({ 'tfjs-backend-wasm.wasm': 'a.wasm' } as never)).toThrowError(
      /no entries found for the following binaries: tfjs-backend-wasm-simd\.wasm,tfjs-backend-wasm-threaded-simd\.wasm/,
    );
  });

  it('says what is wrong when the tfjs backend was removed', async () => {
    await useBackend('cpu');
    tf.removeBackend('wasm');
    await expect(useBackend('wasm')).rejects.toThrowError(
      new BackendError(
        "@tensorloom/backend-wasm: tfjs backend 'wasm' expected registered by @tensorflow/tfjs-backend-wasm, got none",
        { help: "it was removed with tf.removeBackend('wasm'); reload the program to register it again" },
      ),
    );
    await expect(useBackend('auto')).resolves.toBe('cpu');
  });
});

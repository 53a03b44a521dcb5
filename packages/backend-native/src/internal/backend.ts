// The tfjs backend 'native': the wasm backend's own instance under a second name, with the
// wasm kernels copied to it and the heavy ones replaced by ONNX Runtime kernels.
//
// Sharing the instance (rather than a second BackendWasm over the same module) keeps one
// tensor table: tensors made on 'wasm' are used on 'native' without a copy, and the C++
// side's tensor ids never collide.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendError, tf } from '@tensorloom/core';
import { conv2DConfig, depthwiseConv2dNativeConfig, fusedConv2DConfig, fusedDepthwiseConv2DConfig } from '../kernels/conv2d.js';
import { conv2DBackpropFilterConfig, depthwiseConv2dNativeBackpropFilterConfig } from '../kernels/conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig, depthwiseConv2dNativeBackpropInputConfig } from '../kernels/conv2d-backprop-input.js';
import { batchMatMulConfig, fusedMatMulConfig } from '../kernels/mat-mul.js';
import { sumConfig } from '../kernels/sum.js';
import { fusedAttentionConfig, fusedAttentionGradConfig } from '../kernels/attention.js';
import { fusedLayerNormConfig, fusedLayerNormGradConfig } from '../kernels/layer-norm.js';
import { lstmSequenceConfig, lstmSequenceGradConfig } from '../kernels/lstm-sequence.js';
import { gruSequenceConfig, gruSequenceGradConfig } from '../kernels/gru-sequence.js';
import { LIGHT } from './kernel.js';

/** The backend's name in tfjs-core's registry. */
export const NATIVE = 'native';

/** The kernels that run on ONNX Runtime above the crossover. */
export const heavyKernels: readonly tf.KernelConfig[] = [
  batchMatMulConfig,
  fusedMatMulConfig,
  conv2DConfig,
  fusedConv2DConfig,
  conv2DBackpropInputConfig,
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeConfig,
  fusedDepthwiseConv2DConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  sumConfig,
  fusedAttentionConfig,
  fusedAttentionGradConfig,
  fusedLayerNormConfig,
  fusedLayerNormGradConfig,
  lstmSequenceConfig,
  lstmSequenceGradConfig,
  gruSequenceConfig,
  gruSequenceGradConfig,
];

interface EngineInternals {
  registry: Record<string, unknown>;
  initializeBackend(name: string): { success: boolean | Promise<boolean>; asyncInit: boolean };
}

function engine(): EngineInternals {
  return tf.engine() as unknown as EngineInternals;
}

/** Registers tfjs backend 'native' (priority 0: tfjs never picks it on its own). */
export function registerNativeBackend(): void {
  if (tf.findBackendFactory(NATIVE) !== null) return;
  tf.registerBackend(
    NATIVE,
    () => {
      const wasm = engine().registry[LIGHT];
      if (wasm === undefined) {
        throw new BackendError(`@tensorloom/backend-native: tfjs backend '${LIGHT}' expected initialised before '${NATIVE}', got none`, {
          help: "select it with useBackend('native') (or 'auto'), which initialises wasm first",
        });
      }
      return wasm as tf.KernelBackend;
    },
    0,
  );
}

/** Initialises the wasm backend (its binary loads asynchronously) without selecting it. */
export async function initialiseWasm(): Promise<BackendWasm> {
  const e = engine();
  if (!(LIGHT in e.registry)) {
    if (tf.findBackendFactory(LIGHT) === null) {
      throw new BackendError(`@tensorloom/backend-native: tfjs backend '${LIGHT}' expected registered by @tensorloom/backend-wasm, got none`);
    }
    const { success } = e.initializeBackend(LIGHT);
    if (!(await success)) throw new BackendError(`@tensorloom/backend-native: tfjs backend '${LIGHT}' failed to initialise`);
  }
  return e.registry[LIGHT] as BackendWasm;
}

const heavyNames = new Set(heavyKernels.map((k) => k.kernelName));

/**
 * Registers every kernel of the light backend for 'native', and the heavy ones in place of
 * theirs. Run at import and again by the provider's setup, so that kernels registered for
 * wasm in between (backend-wasm's replacements) are the ones 'native' falls back to.
 */
export function registerNativeKernels(): void {
  for (const light of tf.getKernelsForBackend(LIGHT)) {
    if (heavyNames.has(light.kernelName)) continue;
    const existing = tf.getKernel(light.kernelName, NATIVE);
    if (existing?.kernelFunc === light.kernelFunc) continue;
    if (existing !== undefined) tf.unregisterKernel(light.kernelName, NATIVE);
    tf.registerKernel({ ...light, backendName: NATIVE });
  }
  for (const heavy of heavyKernels) {
    if (tf.getKernel(heavy.kernelName, NATIVE)?.kernelFunc === heavy.kernelFunc) continue;
    if (tf.getKernel(heavy.kernelName, NATIVE) !== undefined) tf.unregisterKernel(heavy.kernelName, NATIVE);
    tf.registerKernel(heavy);
  }
}

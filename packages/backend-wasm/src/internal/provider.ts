import { BackendError, type BackendProvider, tf } from '@tensorloom/core';
import { registerWasmTrainingKernels } from '../register-kernels.js';

/** What core's `useBackend('wasm' | 'auto')` calls on. */
export const wasmProvider: BackendProvider = {
  name: 'wasm',
  tfjsName: 'wasm',
  priority: 20,
  packageName: '@tensorloom/backend-wasm',
  setup: async () => {
    if (tf.findBackendFactory('wasm') === null) {
      throw new BackendError(
        "@tensorloom/backend-wasm: tfjs backend 'wasm' expected registered by @tensorflow/tfjs-backend-wasm, got none",
        { help: "it was removed with tf.removeBackend('wasm'); reload the program to register it again" },
      );
    }
    registerWasmTrainingKernels();
  },
};

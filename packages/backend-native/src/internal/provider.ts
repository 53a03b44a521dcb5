import { type BackendProvider } from '@tensorloom/core';
import { initialiseWasm, NATIVE, registerNativeBackend, registerNativeKernels } from './backend.js';
import { checkSynchronousRun } from './ort.js';

/** What core's `useBackend('native' | 'auto')` calls on. */
export const nativeProvider: BackendProvider = {
  name: 'native',
  tfjsName: NATIVE,
  priority: 30,
  packageName: '@tensorloom/backend-native',
  setup: async () => {
    checkSynchronousRun();
    await initialiseWasm();
    registerNativeBackend();
    registerNativeKernels();
  },
};

// Running code on stock tfjs-backend-wasm in a process that imported @tensorloom/backend-wasm,
// whose training kernels are registered for tfjs's 'wasm' backend globally.
import { tf } from '@tensorloom/core';
import { registerWasmTrainingKernels, wasmTrainingKernels } from '@tensorloom/backend-wasm';
// Not public: the kernels of tfjs-backend-wasm that @tensorloom/backend-wasm replaced. Tools
// run from the sources (tsx resolves @tensorloom/* to packages/*/src), so this is the same
// module instance the package registered its kernels with.
import { original } from '../../../packages/backend-wasm/src/internal/wasm.js';

/**
 * Runs `fn` with tfjs-backend-wasm 4.22's own kernels: the ones @tensorloom/backend-wasm
 * added (Conv2DBackpropFilter, ...) unregistered, the ones it replaced (BatchMatMul, ...)
 * back to tfjs's. The wasm backend must be initialised. Restores @tensorloom/backend-wasm's kernels afterwards, even on error.
 */
export async function withStockWasmKernels<T>(fn: () => Promise<T>): Promise<T> {
  for (const name of wasmTrainingKernels) {
    let stock: tf.KernelConfig | null = null;
    try {
      stock = original(name);
    } catch {
      // Not replaced but added: tfjs-backend-wasm has no such kernel.
    }
    tf.unregisterKernel(name, 'wasm');
    if (stock !== null) {
      tf.registerKernel(stock);
      // The backend ran the setup (the cwrap of the C++ function) of the kernels registered
      // when it started, ours in place of this one: some of ours never call it.
      stock.setupFunc?.(tf.findBackend('wasm')!);
    }
  }
  try {
    return await fn();
  } finally {
    registerWasmTrainingKernels();
  }
}

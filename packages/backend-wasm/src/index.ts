/**
 * `@tensorloom/backend-wasm`: tfjs's WebAssembly backend, completed for training.
 *
 * Importing the package (a side effect):
 *
 * - loads `@tensorloom/core` first, so tfjs-core's gradients are registered;
 * - registers `@tensorflow/tfjs-backend-wasm` as tfjs backend `'wasm'`. In Node its `.wasm`
 *   binaries are read from the installed package with no setup; in a browser bundle they
 *   must be served, see {@link setWasmPaths};
 * - registers the kernels training needs that tfjs-backend-wasm 4.22 lacks, and faster or
 *   corrected versions of ten it has (see {@link wasmTrainingKernels});
 * - registers the `'wasm'` backend with core, so `useBackend('wasm')` selects it and
 *   `useBackend('auto')` prefers it to `'cpu'`.
 *
 * Importing it does not change the backend in use (tfjs's default stays `'cpu'`): select
 * wasm with `await useBackend('wasm')` or `await useBackend('auto')`.
 *
 * @example
 * ```ts
 * import { tf, useBackend } from '@tensorloom/core';
 * import '@tensorloom/backend-wasm';
 *
 * console.log(await useBackend('auto')); // 'wasm'
 * const w = tf.variable(tf.randomNormal([3, 3, 1, 4]));
 * const x = tf.randomNormal([2, 8, 8, 1]);
 * const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.conv2d(x, w as tf.Tensor4D, 1, 'same'))));
 * grads[w.name]?.print(); // Conv2DBackpropFilter, on wasm
 * ```
 *
 * @packageDocumentation
 */
// Order matters: core registers tfjs-core's gradients and the cpu backend before
// tfjs-backend-wasm registers its kernels.
import '@tensorloom/core';
import '@tensorflow/tfjs-backend-wasm';

import { registerBackendProvider, tf } from '@tensorloom/core';
import { keepingProcessListeners } from './internal/process-listeners.js';
import { wasmProvider } from './internal/provider.js';
import { registerWasmTrainingKernels } from './register-kernels.js';

// tfjs-backend-wasm registers itself with tfjs priority 2, above cpu's 1, so the first
// tensor operation of a program that never chose a backend would start wasm's asynchronous
// initialisation and throw "Backend 'wasm' has not yet been initialized" (and keep
// throwing on cpu until it finishes). Registered below cpu instead, importing this package
// changes nothing until `useBackend('wasm')` or `useBackend('auto')` selects it.
// (`tf.findBackend` would start that initialisation; the engine's registry only looks.)
const factory = tf.findBackendFactory('wasm');
if (factory !== null && !('wasm' in tf.engine().registry)) {
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', keepingProcessListeners(factory), 0);
}
registerWasmTrainingKernels();
registerBackendProvider(wasmProvider);

export { registerWasmTrainingKernels, wasmTrainingKernels } from './register-kernels.js';
export { setWasmPaths } from './set-wasm-paths.js';
export type { WasmBinaryName } from './set-wasm-paths.js';

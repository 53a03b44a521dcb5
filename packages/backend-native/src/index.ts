/**
 * `@tensorloom/backend-native`: a tfjs backend for Node that runs the heavy kernels on ONNX
 * Runtime's multi-threaded CPU runtime (`onnxruntime-node`) and every other kernel on the
 * wasm backend.
 *
 * Importing the package (a side effect):
 *
 * - imports `@tensorloom/backend-wasm` (and so `@tensorloom/core`), whose kernels the
 *   light ops run on;
 * - registers tfjs backend `'native'`: the wasm backend's own instance (same heap, same
 *   tensors) with wasm's kernels copied to it and {@link nativeKernels} replaced by
 *   kernels that run one cached ONNX Runtime session per shape signature;
 * - registers the `'native'` provider with core (priority 30, above wasm's 20), so
 *   `useBackend('native')` selects it and `useBackend('auto')` prefers it when
 *   onnxruntime-node loads and runs synchronously.
 *
 * Node only (onnxruntime-node is a native addon). Importing it does not change the
 * backend in use.
 *
 * @example
 * ```ts
 * import { tf, useBackend } from '@tensorloom/core';
 * import '@tensorloom/backend-native';
 *
 * console.log(await useBackend('auto')); // 'native'
 * const a = tf.randomNormal([512, 512]);
 * tf.matMul(a, a, false, true).print(); // one ONNX Runtime MatMul on every core
 * ```
 *
 * @packageDocumentation
 */
import '@tensorloom/backend-wasm';
import { registerBackendProvider } from '@tensorloom/core';
import { registerNativeBackend, registerNativeKernels } from './internal/backend.js';
import { nativeProvider } from './internal/provider.js';

registerNativeBackend();
registerNativeKernels();
registerBackendProvider(nativeProvider);

export { nativeKernels, setNativeThreads, nativeThreads, nativeCrossoverFlops, setNativeSessionBudget, nativeSessionMemory, setNativeKernelChoice } from './config.js';
export type { NativeSessionMemory } from './config.js';

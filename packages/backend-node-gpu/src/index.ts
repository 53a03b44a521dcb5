/**
 * `@tensorloom/backend-node-gpu`: registers `@tensorflow/tfjs-node-gpu` (TensorFlow's C
 * library with CUDA) as Tensorloom's `'node-gpu'` backend.
 *
 * Importing this package only registers a provider; `@tensorflow/tfjs-node-gpu` itself is an
 * optional peer dependency, loaded when the backend is asked for. When it is absent,
 * `useBackend('node-gpu')` throws a `BackendError` with the install command and the CUDA
 * requirement, and `useBackend('auto')` skips it silently.
 *
 * @example
 * ```ts
 * import { useBackend } from '@tensorloom/core';
 * import '@tensorloom/backend-node-gpu';
 * console.log(await useBackend('auto')); // 'node-gpu' on a CUDA machine, else the next best
 * ```
 *
 * @packageDocumentation
 */
import { registerNodeGpuBackend } from './provider.js';

export { NODE_GPU_INSTALL_HELP, createNodeGpuProvider, registerNodeGpuBackend } from './provider.js';
export type { NodeGpuProviderOptions } from './provider.js';

registerNodeGpuBackend();

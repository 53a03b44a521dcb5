import { tf } from '@tensorloom/core';
import { batchMatMulConfig, fusedMatMulConfig } from './kernels/batch-mat-mul.js';
import { conv2DBackpropFilterConfig } from './kernels/conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './kernels/conv2d-backprop-input.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './kernels/depthwise-conv2d-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './kernels/depthwise-conv2d-backprop-input.js';
import { einsumConfig } from './kernels/einsum.js';
import { avgPoolGradConfig, maxPoolGradConfig } from './kernels/pool-grad.js';
import { resizeBilinearGradConfig, resizeNearestNeighborGradConfig } from './kernels/resize-grad.js';
import { sliceConfig } from './kernels/slice.js';
import { splitVConfig } from './kernels/split-v.js';
import { unpackConfig } from './kernels/unpack.js';
import { unsortedSegmentSumConfig } from './kernels/unsorted-segment-sum.js';
import { keepOriginal } from './internal/wasm.js';

// Kernels tfjs-backend-wasm 4.22 lacks. Should a later version bring its own, it is kept.
const added: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
  einsumConfig,
];

// Kernels tfjs-backend-wasm has but runs ~10× slower than it could (ours call theirs, or
// copy in place what theirs copies off the heap first), or computes wrongly for some inputs.
const replaced: readonly tf.KernelConfig[] = [
  conv2DBackpropInputConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  sliceConfig,
  splitVConfig,
  unpackConfig,
  maxPoolGradConfig,
  avgPoolGradConfig,
  resizeNearestNeighborGradConfig,
  resizeBilinearGradConfig,
];

/**
 * The tfjs kernel names this package registers for the `'wasm'` backend.
 *
 * Added, because tfjs-backend-wasm 4.22 lacks them: `Conv2DBackpropFilter` (filter gradient
 * of every convolution), `DepthwiseConv2dNativeBackpropFilter` and
 * `DepthwiseConv2dNativeBackpropInput` (depthwise and separable convolutions),
 * `UnsortedSegmentSum` (gradient of gather, so of embeddings) and `Einsum` (forward only:
 * tfjs-core has no Einsum gradient). Replaced, with faster versions that call tfjs's own:
 * `Conv2DBackpropInput` (as a forward convolution on XNNPACK) and `BatchMatMul` /
 * `_FusedMatMul` (transposed operands transposed explicitly); and `Slice`, `SplitV` and
 * `Unpack` (copied in place on the wasm heap, where tfjs's copy the whole input off it once
 * per output; string tensors still go to tfjs's). Replaced, because tfjs's are
 * wrong for some inputs: `MaxPoolGrad` (batch or channels above 1, and 1-D pools) and
 * `AvgPoolGrad` (borders of 'same' padding), `ResizeNearestNeighborGrad` and
 * `ResizeBilinearGrad` (both ignore `halfPixelCenters`).
 *
 * @example
 * ```ts
 * import { tf } from '@tensorloom/core';
 * import { wasmTrainingKernels } from '@tensorloom/backend-wasm';
 * const have = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
 * console.log(wasmTrainingKernels.every((name) => have.has(name))); // true
 * ```
 */
export const wasmTrainingKernels: readonly string[] = [...added, ...replaced].map((k) => k.kernelName);

/**
 * Registers the kernels of {@link wasmTrainingKernels} with tfjs-core for the `'wasm'`
 * backend. Importing `@tensorloom/backend-wasm` already does it, and so does
 * `useBackend('wasm')`; call it again only after unregistering kernels yourself. Calling it
 * twice is harmless.
 *
 * @example
 * ```ts
 * import { registerWasmTrainingKernels } from '@tensorloom/backend-wasm';
 * registerWasmTrainingKernels(); // no-op when already registered
 * ```
 */
export function registerWasmTrainingKernels(): void {
  for (const config of added) {
    if (tf.getKernel(config.kernelName, 'wasm') === undefined) tf.registerKernel(config);
  }
  for (const config of replaced) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing !== undefined) {
      keepOriginal(existing);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
  }
}

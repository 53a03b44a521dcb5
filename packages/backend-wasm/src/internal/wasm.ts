// Helpers shared by the kernels: reading and allocating tensors on the wasm heap, and
// calling the kernels tfjs-backend-wasm already has without going through the engine.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { BackendError, tf } from '@tensorloom/core';

/** A kernel's `inputs`, `backend` and `attrs`, as tfjs-core passes them. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}

/** The wasm backend, from the untyped `backend` a kernel receives. */
export function wasmBackend(args: KernelArgs): BackendWasm {
  return args.backend as BackendWasm;
}

/**
 * A float32 view of a tensor's data on the wasm heap (no copy).
 *
 * Views die when the heap grows, and any allocation may grow it: take views only after the
 * last `makeOutput` or kernel call of a step.
 */
export function f32(backend: BackendWasm, info: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** An int32 view of a tensor's data on the wasm heap (no copy); same caveat as {@link f32}. */
export function i32(backend: BackendWasm, info: tf.TensorInfo): Int32Array {
  return backend.typedArrayFromHeap(info) as Int32Array;
}

/**
 * The whole wasm heap as bytes (no copy). Emscripten replaces this array when the heap
 * grows, and any allocation may grow it: read it again after the last `makeOutput`.
 */
export function heapBytes(backend: BackendWasm): Uint8Array {
  return (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8;
}

/** Where a tensor's data starts on the wasm heap, in bytes; stable while the tensor lives. */
export function heapOffset(backend: BackendWasm, info: tf.TensorInfo): number {
  return (backend.dataIdMap.get(info.dataId) as { memoryOffset: number }).memoryOffset;
}

/** Allocates an uninitialised output on the wasm heap. */
export function alloc(backend: BackendWasm, shape: number[], dtype: tf.DataType = 'float32'): tf.TensorInfo {
  return backend.makeOutput(shape, dtype);
}

/** Frees an intermediate allocated by this package or returned by another kernel. */
export function free(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** The same data seen with another shape of the same size (no copy, no new reference). */
export function withShape(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/**
 * Runs a wasm kernel directly (not through the engine, so no tape, no tracking): the
 * result is an intermediate the caller frees with {@link free} or returns.
 */
export function runKernel(
  backend: BackendWasm,
  kernelName: string,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel === undefined) {
    throw new BackendError(`@tensorloom/backend-wasm: kernel '${kernelName}' expected registered for wasm, got none`);
  }
  return kernel.kernelFunc({ inputs, backend, attrs }) as tf.TensorInfo;
}

/** `perm` that swaps the last two axes of a rank-`rank` tensor. */
export function swapLastTwo(rank: number): number[] {
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

// The kernels tfjs-backend-wasm registered under names this package replaces, kept for the
// inputs the replacements hand back to them.
const originals = new Map<string, tf.KernelConfig>();

/** Records the kernel registered before ours under the same name. */
export function keepOriginal(config: tf.KernelConfig): void {
  originals.set(config.kernelName, config);
}

/** The kernel tfjs-backend-wasm registered under `kernelName`, which ours replaced. */
export function original(kernelName: string): tf.KernelConfig {
  const config = originals.get(kernelName);
  if (config === undefined) {
    throw new BackendError(`@tensorloom/backend-wasm: tfjs-backend-wasm's '${kernelName}' kernel expected kept, got none`);
  }
  return config;
}

/** A setup function that runs the replaced kernel's setup (its cwrap of the C++ function). */
export function setupOriginal(kernelName: string): tf.KernelSetupFunc {
  return (backend) => originals.get(kernelName)?.setupFunc?.(backend);
}

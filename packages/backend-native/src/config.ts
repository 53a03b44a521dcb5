import type { tf } from '@tensorloom/core';
import { heavyKernels } from './internal/backend.js';
import { crossoverFlops } from './internal/kernel.js';
import { nativeThreads as threads, setNativeThreads as setThreads } from './internal/graph.js';

/**
 * The tfjs kernel names that run on ONNX Runtime on the `'native'` backend (above the
 * crossover, for float32 NHWC inputs); every other kernel is the wasm backend's.
 *
 * @example
 * ```ts
 * import { nativeKernels } from '@tensorloom/backend-native';
 * console.log(nativeKernels.includes('BatchMatMul')); // true
 * ```
 */
export const nativeKernels: readonly string[] = heavyKernels.map((k: tf.KernelConfig) => k.kernelName);

/**
 * The number of threads each ONNX Runtime session computes on; defaults to
 * `os.availableParallelism()`.
 *
 * @example
 * ```ts
 * import { nativeThreads } from '@tensorloom/backend-native';
 * console.log(nativeThreads()); // 2 on a 2-core machine
 * ```
 */
export function nativeThreads(): number {
  return threads();
}

/**
 * Sets the number of threads of the ONNX Runtime sessions (those already made are
 * disposed and made again on their next call).
 *
 * @param count - an integer ≥ 1.
 * @throws ConfigError (from `@tensorloom/core`) when `count` is not an integer ≥ 1.
 * @example
 * ```ts
 * import { setNativeThreads } from '@tensorloom/backend-native';
 * setNativeThreads(2); // the same thread count as a PyTorch run with torch.set_num_threads(2)
 * ```
 */
export function setNativeThreads(count: number): void {
  setThreads(count);
}

/**
 * The size, in floating-point operations of one call, below which a heavy kernel runs the
 * wasm backend's kernel instead of ONNX Runtime (whose per-call cost dominates there).
 *
 * @example
 * ```ts
 * import { nativeCrossoverFlops } from '@tensorloom/backend-native';
 * console.log(nativeCrossoverFlops()); // 1000000
 * ```
 */
export function nativeCrossoverFlops(): number {
  return crossoverFlops();
}

import { ConfigError, type tf } from '@tensorloom/core';
import { heavyKernels } from './internal/backend.js';
import { crossoverFlops, setTuning } from './internal/kernel.js';
import { nativeThreads as threads, sessionMemory, setNativeThreads as setThreads, setSessionBudget } from './internal/graph.js';

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

/**
 * Caps the memory of the cached ONNX Runtime sessions. Each kernel signature (operator,
 * shapes, attributes) keeps a session whose memory arena holds its intermediates between
 * calls; a model fed many shapes (sequences padded per batch, the fused recurrent kernels
 * unrolled over each length) would otherwise grow without bound. Past the budget the least
 * recently used sessions are disposed (made again if their shape comes back). The held
 * memory is an estimate: four times the bytes of each session's inputs and outputs.
 *
 * @param bytes - the budget in bytes, ≥ 0. Default 4 GiB.
 * @throws ConfigError (from `@tensorloom/core`) when `bytes` is negative or not finite.
 * @example
 * ```ts
 * import { setNativeSessionBudget } from '@tensorloom/backend-native';
 * setNativeSessionBudget(1024 ** 3); // 1 GiB
 * ```
 */
export function setNativeSessionBudget(bytes: number): void {
  setSessionBudget(bytes);
}

/**
 * The estimated memory the cached sessions hold and the budget they are kept under, in bytes.
 *
 * @example
 * ```ts
 * import { nativeSessionMemory } from '@tensorloom/backend-native';
 * const { heldBytes, budgetBytes } = nativeSessionMemory();
 * ```
 */
export function nativeSessionMemory(): NativeSessionMemory {
  return sessionMemory();
}

/**
 * What {@link nativeSessionMemory} reports.
 *
 * @example
 * ```ts
 * const m: NativeSessionMemory = { heldBytes: 0, budgetBytes: 4 * 1024 ** 3 };
 * ```
 */
export interface NativeSessionMemory {
  /** The estimated bytes the cached sessions hold (four times their inputs' and outputs' bytes). */
  heldBytes: number;
  /** The budget past which the least recently used sessions are disposed. */
  budgetBytes: number;
}

/**
 * How a heavy call above the crossover picks ONNX Runtime or the wasm kernel:
 * - `'timed'` (the default): each kernel signature is timed on both on its first calls and
 *   keeps the faster. Fastest, but which path a signature settles on can differ between two
 *   processes, and the two paths round differently (~1e-6), so a figure computed twice may
 *   differ in its last digits.
 * - `'fixed'`: always ONNX Runtime above the crossover, the wasm kernel below it — a function
 *   of the shapes alone, so two processes with the same thread count compute the same bits.
 *   The apps compute their test figures this way, so `evaluate` reproduces them exactly.
 *
 * @param mode - `'timed'` or `'fixed'`.
 * @returns the previous mode.
 * @throws ConfigError (from `@tensorloom/core`) for another value.
 * @example
 * ```ts
 * import { setNativeKernelChoice } from '@tensorloom/backend-native';
 * const previous = setNativeKernelChoice('fixed');
 * // ... compute figures that must reproduce ...
 * setNativeKernelChoice(previous);
 * ```
 */
export function setNativeKernelChoice(mode: 'timed' | 'fixed'): 'timed' | 'fixed' {
  if (mode !== 'timed' && mode !== 'fixed') {
    throw new ConfigError(`setNativeKernelChoice: mode expected 'timed' or 'fixed', got ${JSON.stringify(mode)}`);
  }
  const previous = setTuning(mode === 'timed' ? 'auto' : 'fixed');
  return previous === 'fixed' ? 'fixed' : 'timed';
}

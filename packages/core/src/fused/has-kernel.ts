// Whether a fused kernel can be called on the active backend.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Whether the active backend has a kernel registered under `kernelName` (a fused kernel of
 * this module, or any tfjs kernel).
 *
 * @example
 * ```ts
 * import { FusedLayerNorm, hasKernel } from '@tensorloom/core';
 * const fused = hasKernel(FusedLayerNorm); // true on 'native', false on cpu
 * ```
 *
 * @group Fused kernels
 */
export function hasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}

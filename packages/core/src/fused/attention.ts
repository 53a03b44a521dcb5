// The contract of the fused attention kernels: names, inputs, outputs and attributes that a
// library calls through `tf.engine().runKernel` and a backend implements. Core registers no
// kernel for them; a library checks `hasKernel` and keeps its general path otherwise.
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Kernel name of fused scaled dot-product attention, forward:
 * `weights = softmax(q·kᵀ·scale + (mask − 1)·1e9) · max(mask, keys)`, `output = (weights ⊙ keep)·v`.
 *
 * - inputs ({@link FusedAttentionInputs}): `q`, `k`, `v` float32 in `layout`; optional `mask`
 *   (float 0/1, `1` = attend, rank 4 broadcastable to `[B, H, T, S]`) and `keep` (the
 *   dropout multiplier `[B, H, T, S]`: 0 or `1/(1 − rate)`);
 * - outputs: `[output, weights]`: `output` `[B, H, T, Dv]` (or `[B, T, H, Dv]` in layout
 *   `'bthd'`), `weights` `[B, H, T, S]`, the softmax after masking and before dropout. A
 *   row whose keys are all masked has all-zero weights. `weights` is what the backward needs;
 * - attributes ({@link FusedAttentionAttrs}).
 *
 * @example
 * ```ts
 * import { FusedAttention, hasKernel, tf } from '@tensorloom/core';
 * if (hasKernel(FusedAttention)) {
 *   const [output, weights] = tf.engine().runKernel(FusedAttention, { q, k, v }, { scale: 0.125, layout: 'bhtd' }) as tf.Tensor[];
 * }
 * ```
 *
 * @group Fused kernels
 */
export const FusedAttention = 'TensorloomFusedAttention';

/**
 * Kernel name of the backward of {@link FusedAttention}: one call gives the gradients of
 * `q`, `k` and `v` from the output's gradient and the saved `weights`.
 *
 * - inputs ({@link FusedAttentionGradInputs}): `dy` (the output's gradient, in `layout`),
 *   `q`, `k`, `v`, `weights` (the forward's second output) and `keep` when the forward had it;
 * - outputs: `[dq, dk, dv]`, shaped as `q`, `k`, `v`;
 * - attributes: the forward's ({@link FusedAttentionAttrs}).
 *
 * With `P = weights`, `P' = P ⊙ keep`, `G = dy·vᵀ ⊙ keep`: `dv = P'ᵀ·dy`,
 * `dL = P ⊙ (G − rowsum(G ⊙ P))`, `dq = scale·dL·k`, `dk = scale·dLᵀ·q`.
 *
 * @example
 * ```ts
 * const [dq, dk, dv] = tf.engine().runKernel(FusedAttentionGrad, { dy, q, k, v, weights }, attrs) as tf.Tensor[];
 * ```
 *
 * @group Fused kernels
 */
export const FusedAttentionGrad = 'TensorloomFusedAttentionGrad';

/**
 * The inputs of {@link FusedAttention}.
 *
 * @example
 * ```ts
 * const inputs: FusedAttentionInputs = { q, k, v, mask: causal4d };
 * ```
 *
 * @group Fused kernels
 */
export interface FusedAttentionInputs {
  /** Queries `[B, H, T, D]` (`[B, T, H, D]` in layout `'bthd'`). */
  q: tf.Tensor;
  /** Keys `[B, H, S, D]` (`[B, S, H, D]` in layout `'bthd'`). */
  k: tf.Tensor;
  /** Values `[B, H, S, Dv]` (`[B, S, H, Dv]` in layout `'bthd'`). */
  v: tf.Tensor;
  /** Float 0/1, rank 4, each axis of `[B, H, T, S]` its full size or 1; absent: attend everywhere. */
  mask?: tf.Tensor;
  /** Dropout multiplier `[B, H, T, S]` (0 or `1/(1 − rate)`); absent: no dropout. */
  keep?: tf.Tensor;
}

/**
 * The inputs of {@link FusedAttentionGrad}.
 *
 * @example
 * ```ts
 * const inputs: FusedAttentionGradInputs = { dy, q, k, v, weights };
 * ```
 *
 * @group Fused kernels
 */
export interface FusedAttentionGradInputs {
  /** The gradient of the forward's `output`. */
  dy: tf.Tensor;
  /** The forward's `q`. */
  q: tf.Tensor;
  /** The forward's `k`. */
  k: tf.Tensor;
  /** The forward's `v`. */
  v: tf.Tensor;
  /** The forward's `weights` output. */
  weights: tf.Tensor;
  /** The forward's `keep`, when it had one. */
  keep?: tf.Tensor;
}

/**
 * The attributes of {@link FusedAttention} and {@link FusedAttentionGrad}.
 *
 * @example
 * ```ts
 * const attrs: FusedAttentionAttrs = { scale: 1 / Math.sqrt(32), layout: 'bthd' };
 * ```
 *
 * @group Fused kernels
 */
export interface FusedAttentionAttrs {
  /** The logit scale, e.g. `1/√D`. */
  scale: number;
  /**
   * The layout of `q`, `k`, `v`, `output` and their gradients: `'bhtd'` = `[batch, heads,
   * length, dim]`; `'bthd'` = `[batch, length, heads, dim]` (what a projection to heads
   * gives, saving the transposes). `mask`, `keep` and `weights` are `[B, H, T, S]` in both.
   */
  layout: 'bhtd' | 'bthd';
}

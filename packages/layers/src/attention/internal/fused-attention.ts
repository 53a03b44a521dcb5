// Attention as one fused kernel call (core's FusedAttention contract) with its gradient as
// one fused backward call, when the active backend has both kernels (`'native'`); callers
// keep the general path (attendFolded) on every other backend. Not exported from the package.
import { FusedAttention, type FusedAttentionAttrs, FusedAttentionGrad, hasKernel, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';

/**
 * Whether attention over these (non-empty float32) tensors should run as the fused kernels on
 * the active backend. A single query (one step of cached decoding) keeps the general path: its
 * key length grows every step, and a fused kernel builds one session per key length (~2 ms
 * each), which made cached GPT generation on native slower than on wasm (537 against 617
 * tokens/s in `npm run bench -- perf --quick`), while a one-query attention is a few small ops.
 */
export function canFuseAttention(queryLength: number, ...tensors: tf.Tensor[]): boolean {
  return queryLength > 1 && tensors.every((t) => t.dtype === 'float32' && t.size > 0) && hasKernel(FusedAttention) && hasKernel(FusedAttentionGrad);
}

/**
 * `softmax(q·kᵀ·scale + maskBias)·v` as one FusedAttention call, differentiable in q, k, v
 * through one FusedAttentionGrad call. Computes what the general path computes, with the same
 * dropout mask (the same draws of `rng`, over the weights' shape), so the two agree to
 * float32 rounding. The returned `scores` are the weights (after masking, before dropout);
 * on this path they carry no gradient of their own (the output's gradient is exact).
 *
 * @param q - `[B, H, T, D]`, or `[B, T, H, D]` with layout `'bthd'`.
 * @param k - `[B, H, S, D]` / `[B, S, H, D]`.
 * @param v - `[B, H, S, Dv]` / `[B, S, H, Dv]`.
 * @param allowed - float 0/1 mask broadcastable to `[B, H, T, S]` (rank 4), or `null`.
 * @returns output in `layout`, scores `[B, H, T, S]`.
 */
export function attendFused(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  layout: FusedAttentionAttrs['layout'],
  allowed: tf.Tensor | null,
  scale: number,
  dropoutRate: number,
  rng: Rng | null,
): { output: tf.Tensor; scores: tf.Tensor } {
  // The shape of scaled-dot-product-attention's AttentionResult, written out: importing it
  // would close an import cycle with that file, which calls this one.
  return tf.tidy(() => {
    const [b, a1, a2] = q.shape as [number, number, number, number];
    const [h, t] = layout === 'bthd' ? [a2, a1] : [a1, a2];
    const s = (layout === 'bthd' ? k.shape[1] : k.shape[2]) as number;
    // The dropout multiplier of the general path's dropout(scores, rate, rng): same draws, same scale.
    const keep = dropoutRate > 0 && rng !== null ? tf.mul(rng.bernoulliTensor([b, h, t, s], 1 - dropoutRate), 1 / (1 - dropoutRate)) : null;
    const attrs: FusedAttentionAttrs = { scale, layout };
    const extra: tf.NamedTensorMap = {};
    if (allowed !== null) extra.mask = allowed.dtype === 'float32' ? allowed : tf.cast(allowed, 'float32');
    if (keep !== null) extra.keep = keep;
    let weights: tf.Tensor | null = null;
    const attend = tf.customGrad((qi, ki, vi, save) => {
      const inputs = { q: qi as tf.Tensor, k: ki as tf.Tensor, v: vi as tf.Tensor, ...extra };
      const [output, w] = tf.engine().runKernel(FusedAttention, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      weights = tf.keep(w as tf.Tensor); // leaves the customGrad scope; re-scoped below
      (save as tf.GradSaveFunc)(keep === null ? [qi as tf.Tensor, ki as tf.Tensor, vi as tf.Tensor, w as tf.Tensor] : [qi as tf.Tensor, ki as tf.Tensor, vi as tf.Tensor, w as tf.Tensor, keep]);
      return {
        value: output as tf.Tensor,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const [sq, sk, sv, sw, skeep] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined];
          const gradInputs: tf.NamedTensorMap = { dy: dy as tf.Tensor, q: sq, k: sk, v: sv, weights: sw };
          if (skeep !== undefined) gradInputs.keep = skeep;
          return tf.engine().runKernel(FusedAttentionGrad, gradInputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        },
      };
    });
    const output = attend(q, k, v);
    const kept = weights as unknown as tf.Tensor;
    const scores = tf.clone(kept); // tracked by this scope; shares the kept tensor's data
    kept.dispose();
    return { output, scores };
  });
}

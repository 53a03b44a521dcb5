import { ShapeError, assertRank, formatShape, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { dropout } from '../regularization/dropout.js';
import { attendFused, canFuseAttention } from './internal/fused-attention.js';

/**
 * The additive bias that hides a masked key: far below any real logit, yet finite, so that
 * `softmax` sends it to exactly 0 in float32 without producing `-Infinity - -Infinity = NaN`.
 */
const MASKED_LOGIT = -1e9;

/**
 * Options of {@link scaledDotProductAttention}.
 *
 * @example
 * ```ts
 * const options: ScaledDotProductAttentionOptions = { mask: keyMask4d, dropoutRate: 0.1, rng: rng(1) };
 * ```
 *
 * @group Attention
 */
export interface ScaledDotProductAttentionOptions {
  /**
   * Which keys each query may attend to: `true` (or non-zero) = attend. Rank 4, broadcast
   * against the scores `[batch, heads, queryLength, keyLength]` (each axis its full size or 1).
   * Default `null`: attend everywhere.
   */
  mask?: tf.Tensor | null;
  /** Dropout on the attention weights, in [0, 1); applied only when `rng` is given. Default `0`. */
  dropoutRate?: number;
  /** The source of the dropout mask; `null` means inference (no dropout). Default `null`. */
  rng?: Rng | null;
  /** The logit scale. Default `1/√keyDim` (Vaswani et al.). */
  scale?: number;
}

/**
 * What {@link scaledDotProductAttention} returns.
 *
 * @example
 * ```ts
 * const { output, scores }: AttentionResult = scaledDotProductAttention(q, k, v);
 * ```
 *
 * @group Attention
 */
export type AttentionResult = {
  /** The attended values, `[batch, heads, queryLength, valueDim]` (or `[batch, queryLength, outFeatures]` from a layer). */
  readonly output: tf.Tensor;
  /**
   * The attention probabilities `[batch, heads, queryLength, keyLength]`, after masking and
   * softmax, before dropout: each row sums to 1 over its unmasked keys, or is all zeros when
   * every key of that row is masked.
   */
  readonly scores: tf.Tensor;
};

/**
 * Turns a boolean or numeric mask into float 0/1 (`1` = attend).
 *
 * @example
 * ```ts
 * maskToFloat(tf.tensor([true, false], [2], 'bool')); // [1, 0]
 * ```
 *
 * @group Attention
 */
export function maskToFloat(mask: tf.Tensor): tf.Tensor {
  return tf.tidy(() => (mask.dtype === 'bool' ? tf.cast(mask, 'float32') : tf.cast(tf.notEqual(mask, 0), 'float32')));
}

/**
 * The causal mask `[queryLength, keyLength]`, float 0/1: query `i` may attend to key `j`
 * when `j ≤ i` (Keras' convention when the lengths differ).
 *
 * @example
 * ```ts
 * causalMask(3, 3); // [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
 * ```
 *
 * @group Attention
 */
export function causalMask(queryLength: number, keyLength: number): tf.Tensor2D {
  const values = new Float32Array(queryLength * keyLength);
  for (let i = 0; i < queryLength; i++) for (let j = 0; j <= i && j < keyLength; j++) values[i * keyLength + j] = 1;
  return tf.tensor2d(values, [queryLength, keyLength]);
}

/**
 * The heads-folded core of attention, shared with {@link MultiHeadAttention} (which arranges
 * its projections straight into these layouts): `softmax(q·kᵀ·scale + maskBias)·v`.
 * Every product is a rank-3 matMul with equal batch sizes, because the MatMul gradient of
 * tfjs-core 4.22 fails when a batch dimension is broadcast.
 *
 * @param q - `(B·H, T, D)`.
 * @param kT - the keys already transposed, `(B·H, D, S)`.
 * @param v - `(B·H, S, Dv)`.
 * @param batch - `B`.
 * @param heads - `H`.
 * @param allowed - float 0/1 mask broadcast against `(B, H, T, S)`, or `null`.
 * @returns output `(B, H, T, Dv)` and scores `(B, H, T, S)`.
 * @internal
 */
export function attendFolded(
  q: tf.Tensor3D,
  kT: tf.Tensor3D,
  v: tf.Tensor3D,
  batch: number,
  heads: number,
  allowed: tf.Tensor | null,
  scale: number,
  dropoutRate: number,
  rng: Rng | null,
): AttentionResult {
  return tf.tidy(() => {
    const [, t] = q.shape;
    const s = kT.shape[2];
    const dv = v.shape[2];
    // Scale the queries, not the logits: T·D multiplies instead of T·S.
    const logits3 = tf.matMul(tf.mul(q, scale), kT); // (B·H, T, S)
    let logits = tf.reshape(logits3, [batch, heads, t, s]); // (B, H, T, S)
    if (allowed !== null) logits = tf.add(logits, tf.mul(tf.sub(allowed, 1), -MASKED_LOGIT)); // 0 or -1e9
    let scores = tf.softmax(logits); // (B, H, T, S), over the keys
    // A row with every key masked has uniform softmax over garbage; make it attend to nothing.
    if (allowed !== null) scores = tf.mul(scores, tf.max(allowed, -1, true)); // (B|1, H|1, T|1, 1)
    const dropped = dropoutRate > 0 && rng !== null ? dropout(scores, dropoutRate, rng) : scores;
    const out3 = tf.matMul(tf.reshape(dropped, [batch * heads, t, s]), v); // (B·H, T, Dv)
    return { output: tf.reshape(out3, [batch, heads, t, dv]), scores }; // (B, H, T, Dv)
  });
}

/**
 * Scaled dot-product attention (Vaswani et al. 2017, https://arxiv.org/abs/1706.03762, eq. 1):
 * `softmax(Q·Kᵀ/√d + maskBias)·V`, per batch and head.
 *
 * Masked keys get a logit bias of −1e9, so their weight is exactly 0. A query whose keys are
 * all masked gets all-zero weights and a zero output (never NaN); Keras instead spreads it
 * uniformly over the masked keys, PyTorch returns NaN.
 *
 * When the active backend has core's fused attention kernels (`'native'`), the whole of it
 * runs as one `FusedAttention` call with a one-call gradient (the same values and the same
 * dropout mask to float32 rounding); `scores` then carry no gradient of their own.
 *
 * @param q - queries `[batch, heads, queryLength, keyDim]`.
 * @param k - keys `[batch, heads, keyLength, keyDim]`.
 * @param v - values `[batch, heads, keyLength, valueDim]`.
 * @param options - mask, dropout on the weights, logit scale.
 * @returns `output` `[batch, heads, queryLength, valueDim]` and `scores`
 *   `[batch, heads, queryLength, keyLength]` (before dropout).
 * @throws ShapeError when the shapes do not line up.
 * @example
 * ```ts
 * const { output, scores } = scaledDotProductAttention(q, k, v, { mask: causalMask(4, 4).reshape([1, 1, 4, 4]) });
 * ```
 *
 * @group Attention
 */
export function scaledDotProductAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  options: ScaledDotProductAttentionOptions = {},
): AttentionResult {
  const unit = 'scaledDotProductAttention';
  assertRank(unit, 'q', q, 4, '[batch, heads, queryLength, keyDim]');
  assertRank(unit, 'k', k, 4, '[batch, heads, keyLength, keyDim]');
  assertRank(unit, 'v', v, 4, '[batch, heads, keyLength, valueDim]');
  const [b, h, t, d] = q.shape as [number, number, number, number];
  const [, , s] = k.shape as [number, number, number, number];
  const dv = v.shape[3]!;
  if (k.shape[0] !== b || k.shape[1] !== h || k.shape[3] !== d) {
    throw new ShapeError(`${unit}: k expected shape [${b}, ${h}, keyLength, ${d}] like q, got ${formatShape(k.shape)}`);
  }
  if (v.shape[0] !== b || v.shape[1] !== h || v.shape[2] !== s) {
    throw new ShapeError(`${unit}: v expected shape [${b}, ${h}, ${s}, valueDim] like k, got ${formatShape(v.shape)}`);
  }
  const mask = options.mask ?? null;
  if (mask !== null) {
    const full = [b, h, t, s];
    if (mask.rank !== 4 || mask.shape.some((m, i) => m !== 1 && m !== full[i])) {
      throw new ShapeError(`${unit}: mask expected a shape broadcastable to ${formatShape(full)}, got ${formatShape(mask.shape)}`);
    }
  }
  return tf.tidy(() => {
    const scale = options.scale ?? 1 / Math.sqrt(d);
    if (canFuseAttention(t, q, k, v)) {
      // One fused kernel call forward and one backward (e.g. on 'native').
      return attendFused(q, k, v, 'bhtd', mask === null ? null : maskToFloat(mask), scale, options.dropoutRate ?? 0, options.rng ?? null);
    }
    const q3 = tf.reshape(q, [b * h, t, d]) as tf.Tensor3D; // (B·H, T, D)
    const kT = tf.reshape(tf.transpose(k, [0, 1, 3, 2]), [b * h, d, s]) as tf.Tensor3D; // (B·H, D, S)
    const v3 = tf.reshape(v, [b * h, s, dv]) as tf.Tensor3D; // (B·H, S, Dv)
    const allowed = mask === null ? null : maskToFloat(mask);
    return attendFolded(q3, kT, v3, b, h, allowed, scale, options.dropoutRate ?? 0, options.rng ?? null);
  });
}

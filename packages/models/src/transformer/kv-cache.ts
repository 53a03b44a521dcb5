import { ShapeError, formatShape, tf } from '@tensorloom/core';
import { multiAxisDense, scaledDotProductAttention } from '@tensorloom/layers';
import type { MultiHeadAttentionWeights } from '@tensorloom/layers';

/**
 * The keys and values one attention layer has already computed, per head:
 * `key` `[batch, heads, cachedLength, keyDim]`, `value` `[batch, heads, cachedLength, valueDim]`.
 * Incremental decoding appends the new positions' projections and never recomputes the old ones.
 *
 * @example
 * ```ts
 * const { output, cache } = cachedSelfAttention(x, mha.weights(), null); // cache.key: [B, H, T, Dk]
 * ```
 */
export type KeyValueCache = {
  /** Cached keys `[batch, heads, length, keyDim]`. */
  readonly key: tf.Tensor;
  /** Cached values `[batch, heads, length, valueDim]`. */
  readonly value: tf.Tensor;
};

/**
 * What {@link cachedSelfAttention} returns: the attention output for the new positions and
 * the cache extended by them.
 *
 * @example
 * ```ts
 * const step: CachedAttentionResult = cachedSelfAttention(xNew, weights, cache);
 * ```
 */
export type CachedAttentionResult = {
  /** `[batch, newLength, outputDim]`. */
  readonly output: tf.Tensor;
  /** The old cache followed by the new positions' keys and values. */
  readonly cache: KeyValueCache;
};

/**
 * The causal mask of `newLength` queries that follow `offset` cached positions:
 * `[1, 1, newLength, offset + newLength]`, query `i` (absolute position `offset + i`) may see
 * keys `j ≤ offset + i`.
 *
 * @example
 * ```ts
 * offsetCausalMask(2, 1); // [[[[1, 1, 0], [1, 1, 1]]]]
 * ```
 */
export function offsetCausalMask(newLength: number, offset: number): tf.Tensor4D {
  const total = offset + newLength;
  const values = new Float32Array(newLength * total);
  for (let i = 0; i < newLength; i++) for (let j = 0; j <= offset + i; j++) values[i * total + j] = 1;
  return tf.tensor4d(values, [1, 1, newLength, total]);
}

/** `[B, L, H, D]` → `[B, H, L, D]`. */
function headsFirst(x: tf.Tensor): tf.Tensor {
  return tf.transpose(x, [0, 2, 1, 3]);
}

/**
 * Causal multi-head self-attention over new positions, reusing the keys and values of the
 * earlier ones (Vaswani et al. 2017, https://arxiv.org/abs/1706.03762, §3.2; the cache of
 * incremental decoding). Only the new positions are projected; the old cache is not
 * disposed (the caller owns it and the returned one).
 *
 * With `cache = null` it is plain causal self-attention over `x`, the same as
 * `multiHeadAttention({ query: x, value: x }, weights, { useCausalMask: true })`.
 *
 * @param x - the new positions `[batch, newLength, features]`.
 * @param weights - a `MultiHeadAttention`'s weights (`mha.weights()`).
 * @param cache - the earlier positions' keys and values, or `null`.
 * @param unit - names the caller in error messages.
 * @returns the output `[batch, newLength, outputDim]` and the extended cache.
 * @throws ShapeError when the cache's batch or heads differ from `x` and the weights.
 * @example
 * ```ts
 * let { output, cache } = cachedSelfAttention(prompt, mha.weights(), null);
 * ({ output, cache } = cachedSelfAttention(nextToken, mha.weights(), cache)); // one new position
 * ```
 */
export function cachedSelfAttention(
  x: tf.Tensor,
  weights: MultiHeadAttentionWeights,
  cache: KeyValueCache | null,
  unit = 'cachedSelfAttention',
): CachedAttentionResult {
  const [b, t] = x.shape as [number, number, number];
  const [, h, dk] = weights.query.kernel.shape as [number, number, number];
  if (cache !== null && (cache.key.rank !== 4 || cache.key.shape[0] !== b || cache.key.shape[1] !== h || cache.key.shape[3] !== dk)) {
    throw new ShapeError(`${unit}: cache key expected shape [${b}, ${h}, length, ${dk}], got ${formatShape(cache.key.shape)}`);
  }
  return tf.tidy(() => {
    const offset = cache === null ? 0 : cache.key.shape[2]!;
    const q = headsFirst(multiAxisDense(x, weights.query.kernel, weights.query.bias, 1)); // (B, H, T, Dk)
    const kNew = headsFirst(multiAxisDense(x, weights.key.kernel, weights.key.bias, 1)); // (B, H, T, Dk)
    const vNew = headsFirst(multiAxisDense(x, weights.value.kernel, weights.value.bias, 1)); // (B, H, T, Dv)
    const key = cache === null ? kNew : tf.concat([cache.key, kNew], 2); // (B, H, P+T, Dk)
    const value = cache === null ? vNew : tf.concat([cache.value, vNew], 2); // (B, H, P+T, Dv)
    // A single new position may see every key: no mask needed.
    const mask = t === 1 ? null : offsetCausalMask(t, offset);
    const attended = scaledDotProductAttention(q, key, value, { mask }).output; // (B, H, T, Dv)
    const merged = tf.transpose(attended, [0, 2, 1, 3]); // (B, T, H, Dv)
    const output = multiAxisDense(merged, weights.output.kernel, weights.output.bias, 2); // (B, T, O)
    return { output, cache: { key, value } };
  });
}

/**
 * Projects a fixed memory (an encoder's output) into cross-attention keys and values once,
 * for every later decoding step: `[batch, heads, sourceLength, dim]` each.
 *
 * @param memory - `[batch, sourceLength, features]`.
 * @param weights - the cross-attention's weights.
 * @returns the memory's keys and values.
 * @example
 * ```ts
 * const memoryKV = projectMemory(encoded, decoder.crossAttention!.weights());
 * ```
 */
export function projectMemory(memory: tf.Tensor, weights: MultiHeadAttentionWeights): KeyValueCache {
  return tf.tidy(() => ({
    key: headsFirst(multiAxisDense(memory, weights.key.kernel, weights.key.bias, 1)), // (B, H, S, Dk)
    value: headsFirst(multiAxisDense(memory, weights.value.kernel, weights.value.bias, 1)), // (B, H, S, Dv)
  }));
}

/**
 * Attention of new positions to projected memory keys and values (see {@link projectMemory}).
 *
 * @param x - `[batch, newLength, features]`.
 * @param weights - the cross-attention's weights.
 * @param memory - the projected memory.
 * @param keyMask - memory padding `[batch, sourceLength]` (`true` = attend), or `null`.
 * @returns `[batch, newLength, outputDim]`.
 * @example
 * ```ts
 * const y = attendToMemory(h, weights, memoryKV, sourceMask);
 * ```
 */
export function attendToMemory(x: tf.Tensor, weights: MultiHeadAttentionWeights, memory: KeyValueCache, keyMask: tf.Tensor | null): tf.Tensor {
  return tf.tidy(() => {
    const [b] = x.shape as [number];
    const s = memory.key.shape[2]!;
    const q = headsFirst(multiAxisDense(x, weights.query.kernel, weights.query.bias, 1)); // (B, H, T, Dk)
    const mask = keyMask === null ? null : tf.reshape(keyMask.dtype === 'bool' ? tf.cast(keyMask, 'float32') : keyMask, [b, 1, 1, s]); // (B, 1, 1, S)
    const attended = scaledDotProductAttention(q, memory.key, memory.value, { mask }).output; // (B, H, T, Dv)
    return multiAxisDense(tf.transpose(attended, [0, 2, 1, 3]), weights.output.kernel, weights.output.bias, 2); // (B, T, O)
  });
}

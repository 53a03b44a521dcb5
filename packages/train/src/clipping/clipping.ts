import { ConfigError, tf } from '@tensorloom/core';

function checkLimit(fn: string, option: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${fn}: ${option} expected a finite number > 0, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
  }
}

/**
 * Clamps every gradient element to `[−limit, limit]` (Keras' `clipvalue`,
 * `torch.nn.utils.clip_grad_value_`). Pure: returns new tensors the caller disposes.
 *
 * @param grads - gradients keyed by dotted parameter path.
 * @param limit - the bound, > 0.
 * @returns the clipped gradients under the same keys.
 * @throws ConfigError when `limit` is not a finite number > 0.
 * @example
 * ```ts
 * const clipped = clipByValue(grads, 0.5);
 * ```
 */
export function clipByValue(grads: Record<string, tf.Tensor>, limit: number): Record<string, tf.Tensor> {
  checkLimit('clipByValue', 'limit', limit);
  const out: Record<string, tf.Tensor> = {};
  for (const [path, g] of Object.entries(grads)) out[path] = tf.clipByValue(g, -limit, limit);
  return out;
}

/**
 * Rescales each gradient tensor on its own to an L2 norm of at most `maxNorm`:
 * `g · maxNorm / max(‖g‖, maxNorm)` (Keras' `clipnorm`, `tf.clip_by_norm`). Pure: returns new
 * tensors the caller disposes.
 *
 * @param grads - gradients keyed by dotted parameter path.
 * @param maxNorm - the largest norm each tensor keeps, > 0.
 * @returns the rescaled gradients under the same keys.
 * @throws ConfigError when `maxNorm` is not a finite number > 0.
 * @example
 * ```ts
 * const clipped = clipByNorm(grads, 1);
 * ```
 */
export function clipByNorm(grads: Record<string, tf.Tensor>, maxNorm: number): Record<string, tf.Tensor> {
  checkLimit('clipByNorm', 'maxNorm', maxNorm);
  const out: Record<string, tf.Tensor> = {};
  for (const [path, g] of Object.entries(grads)) {
    out[path] = tf.tidy(() => {
      const norm = tf.sqrt(tf.sum(tf.square(g)));
      return tf.mul(g, tf.div(maxNorm, tf.maximum(norm, maxNorm)));
    });
  }
  return out;
}

/**
 * What {@link clipByGlobalNorm} returns (a type alias, so `tf.dispose(result)` accepts it).
 *
 * @example
 * ```ts
 * const { grads: clipped, globalNorm }: GlobalNormClipResult = clipByGlobalNorm(grads, 1);
 * ```
 */
export type GlobalNormClipResult = {
  /** The rescaled gradients, under the same paths; new tensors the caller disposes. */
  grads: Record<string, tf.Tensor>;
  /** The global L2 norm before clipping; a scalar the caller disposes. */
  globalNorm: tf.Scalar;
};

/**
 * Rescales all gradients together so that their global L2 norm `‖(g₁, …, gₙ)‖` is at most
 * `maxNorm`, exactly as `torch.nn.utils.clip_grad_norm_`: `g · min(1, maxNorm / (‖g‖ + 1e-6))`.
 * A non-finite global norm is returned as is (and the gradients come back non-finite), so the loop
 * can report it. Pure: returns new tensors the caller disposes.
 *
 * @param grads - gradients keyed by dotted parameter path.
 * @param maxNorm - the largest global norm, > 0.
 * @returns the rescaled gradients and the global norm before clipping (a scalar to dispose).
 * @throws ConfigError when `maxNorm` is not a finite number > 0.
 * @example
 * ```ts
 * const { grads: clipped, globalNorm } = clipByGlobalNorm(grads, 1);
 * ```
 */
export function clipByGlobalNorm(
  grads: Record<string, tf.Tensor>,
  maxNorm: number,
): GlobalNormClipResult {
  checkLimit('clipByGlobalNorm', 'maxNorm', maxNorm);
  const entries = Object.entries(grads);
  return tf.tidy(() => {
    const squares = entries.map(([, g]) => tf.sum(tf.square(tf.cast(g, 'float32'))));
    const globalNorm = (squares.length === 0 ? tf.scalar(0) : tf.sqrt(tf.addN(squares))) as tf.Scalar;
    const coef = tf.minimum(tf.div(maxNorm, tf.add(globalNorm, 1e-6)), 1);
    const out: Record<string, tf.Tensor> = {};
    for (const [path, g] of entries) out[path] = tf.mul(g, coef);
    return { grads: out, globalNorm };
  });
}

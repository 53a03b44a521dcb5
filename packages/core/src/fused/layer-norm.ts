// The contract of the fused layer normalization kernels (over the last axis): names, inputs,
// outputs and attributes a library calls and a backend implements. Core registers none.
import type * as tf from '@tensorflow/tfjs-core';

/**
 * Kernel name of fused layer normalization over the last axis, forward:
 * `y = (x − mean)·rstd·gamma + beta` with `rstd = 1/√(variance + epsilon)` (biased variance).
 *
 * - inputs ({@link FusedLayerNormInputs}): `x` float32 `[..., C]`, `gamma` `[C]`, `beta` `[C]`;
 * - outputs: `[y, mean, rstd]`: `y` shaped as `x`; `mean` and `rstd` `[..., 1]`, saved for
 *   the backward;
 * - attributes ({@link FusedLayerNormAttrs}).
 *
 * @example
 * ```ts
 * import { FusedLayerNorm, hasKernel, tf } from '@tensorloom/core';
 * if (hasKernel(FusedLayerNorm)) {
 *   const [y, mean, rstd] = tf.engine().runKernel(FusedLayerNorm, { x, gamma, beta }, { epsilon: 1e-5 }) as tf.Tensor[];
 * }
 * ```
 *
 * @group Fused kernels
 */
export const FusedLayerNorm = 'TensorloomFusedLayerNorm';

/**
 * Kernel name of the backward of {@link FusedLayerNorm}: one call gives `[dx, dgamma, dbeta]`.
 *
 * - inputs ({@link FusedLayerNormGradInputs}): `dy`, `x`, `gamma`, and the forward's `mean`, `rstd`;
 * - outputs: `dx` shaped as `x`, `dgamma` and `dbeta` `[C]`;
 * - attributes: the forward's.
 *
 * With `x̂ = (x − mean)·rstd` and `g = dy·gamma`: `dbeta = Σ dy`, `dgamma = Σ dy·x̂` (over
 * every axis but the last), `dx = rstd·(g − mean_C(g) − x̂·mean_C(g·x̂))`.
 *
 * @example
 * ```ts
 * const [dx, dgamma, dbeta] = tf.engine().runKernel(FusedLayerNormGrad, { dy, x, gamma, mean, rstd }, { epsilon: 1e-5 }) as tf.Tensor[];
 * ```
 *
 * @group Fused kernels
 */
export const FusedLayerNormGrad = 'TensorloomFusedLayerNormGrad';

/**
 * The inputs of {@link FusedLayerNorm}.
 *
 * @example
 * ```ts
 * const inputs: FusedLayerNormInputs = { x, gamma, beta };
 * ```
 *
 * @group Fused kernels
 */
export interface FusedLayerNormInputs {
  /** The input `[..., C]`, rank ≥ 2. */
  x: tf.Tensor;
  /** The scale `[C]`. */
  gamma: tf.Tensor;
  /** The offset `[C]`. */
  beta: tf.Tensor;
}

/**
 * The inputs of {@link FusedLayerNormGrad}.
 *
 * @example
 * ```ts
 * const inputs: FusedLayerNormGradInputs = { dy, x, gamma, mean, rstd };
 * ```
 *
 * @group Fused kernels
 */
export interface FusedLayerNormGradInputs {
  /** The gradient of `y`. */
  dy: tf.Tensor;
  /** The forward's `x`. */
  x: tf.Tensor;
  /** The forward's `gamma`. */
  gamma: tf.Tensor;
  /** The forward's `mean` output. */
  mean: tf.Tensor;
  /** The forward's `rstd` output. */
  rstd: tf.Tensor;
}

/**
 * The attributes of {@link FusedLayerNorm} and {@link FusedLayerNormGrad}.
 *
 * @example
 * ```ts
 * const attrs: FusedLayerNormAttrs = { epsilon: 1e-5 };
 * ```
 *
 * @group Fused kernels
 */
export interface FusedLayerNormAttrs {
  /** Added to the variance before the square root. */
  epsilon: number;
}

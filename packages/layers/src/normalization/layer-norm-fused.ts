// Layer normalization over the last axis as one fused kernel call (core's FusedLayerNorm
// contract) with its gradient as one fused backward call, when the active backend has both
// kernels (`'native'`); layerNorm keeps the general path on every other backend.
import { FusedLayerNorm, type FusedLayerNormAttrs, FusedLayerNormGrad, hasKernel, tf } from '@tensorloom/core';

/** Whether `layerNorm` over `axes` of `x` can run as the fused kernels on the active backend. */
export function canFuseLayerNorm(x: tf.Tensor, axes: readonly number[]): boolean {
  return x.dtype === 'float32' && x.size > 0 && x.rank >= 2 && axes.length === 1 && axes[0] === x.rank - 1 && hasKernel(FusedLayerNorm) && hasKernel(FusedLayerNormGrad);
}

/**
 * `(x − mean)·rstd·gamma + beta` over the last axis as one FusedLayerNorm call,
 * differentiable in x, gamma and beta through one FusedLayerNormGrad call. A missing gamma
 * or beta is fed as ones or zeros (its gradient is dropped).
 */
export function layerNormFused(x: tf.Tensor, gamma: tf.Tensor | null, beta: tf.Tensor | null, epsilon: number): tf.Tensor {
  return tf.tidy(() => {
    const c = x.shape[x.rank - 1]!;
    const attrs = { epsilon } satisfies FusedLayerNormAttrs as unknown as tf.NamedAttrMap;
    const norm = tf.customGrad((xi, gi, bi, save) => {
      const [y, mean, rstd] = tf.engine().runKernel(FusedLayerNorm, { x: xi as tf.Tensor, gamma: gi as tf.Tensor, beta: bi as tf.Tensor }, attrs) as tf.Tensor[];
      (save as tf.GradSaveFunc)([xi as tf.Tensor, gi as tf.Tensor, mean as tf.Tensor, rstd as tf.Tensor]);
      return {
        value: y as tf.Tensor,
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const [sx, sg, sm, sr] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
          return tf.engine().runKernel(FusedLayerNormGrad, { dy: dy as tf.Tensor, x: sx, gamma: sg, mean: sm, rstd: sr }, attrs) as tf.Tensor[];
        },
      };
    });
    return norm(x, gamma ?? tf.ones([c]), beta ?? tf.zeros([c]));
  });
}

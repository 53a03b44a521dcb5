import { tf } from '@tensorloom/core';

/**
 * `a·b` for 2-D tensors, with a gradient made of plain (untransposed) products:
 * `da = dy·bᵀ`, `db = aᵀ·dy`, where the transposes are explicit `tf.transpose` calls.
 *
 * Why: tfjs's own MatMul gradient uses `transposeA`/`transposeB` products, which the wasm
 * backend runs 40–70× slower than a plain product (measured here: `[64, 512]·[128, 512]ᵀ`
 * 14.6 ms with `transposeB` against 0.3 ms plain, `[1792, 28]ᵀ·[1792, 512]` 103 ms against
 * 1.5 ms). A recurrent layer does two such products per step in its backward pass.
 *
 * @param a - `[m, k]`.
 * @param b - `[k, n]`.
 * @param bT - optionally `bᵀ` `[n, k]`, already computed (a recurrent kernel is transposed
 *   once per sequence instead of once per step). It gets no gradient of its own.
 * @returns `[m, n]`.
 *
 * @group Recurrent
 */
export function plainMatMul(a: tf.Tensor, b: tf.Tensor, bT: tf.Tensor | null = null): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, y, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
    save(bT === null ? [x, y] : [x, bT]);
    return {
      value: tf.matMul(x, y),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, yT] = bT === null ? [saved[0]!, tf.transpose(saved[1]!)] : [saved[0]!, saved[1]!];
        return [tf.matMul(dy as tf.Tensor2D, yT as tf.Tensor2D), tf.matMul(tf.transpose(xs) as tf.Tensor2D, dy as tf.Tensor2D)];
      },
    };
  });
  return op(a, b) as tf.Tensor2D;
}

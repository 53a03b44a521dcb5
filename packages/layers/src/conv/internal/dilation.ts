// Dilated (atrous) convolution as an undilated one on a space-to-batch view of the input.
//
// Why: tfjs-core 4.22 computes dilated conv2d and depthwiseConv2d forward, but their
// gradients throw "dilation rates greater than 1 are not yet supported in gradients". A
// stride-1 convolution dilated by d only ever combines input positions that share the same
// phase (i mod d); SpaceToBatchND gathers each phase into its own batch entry, where the
// dilated kernel becomes a dense one. SpaceToBatchND and BatchToSpaceND have gradients on
// every backend, and the conv in between is undilated, so the whole thing is differentiable
// at the cost of two reshuffles. This is how TensorFlow itself implements atrous convolution
// (`tf.nn.with_space_to_batch`).
import { tf } from '@tensorloom/core';
import type { ConvPadding } from '../types.js';
import type { Pair } from './conv-utils.js';

/**
 * Runs `conv` (an undilated, stride-1, `'valid'` convolution of kernel size `kernel`) as the
 * same convolution dilated by `rate` with `padding`, on `x` `(B, H, W, C)`.
 *
 * @returns `(B, H_out, W_out, F)` where `F` is what `conv` produces per position.
 */
export function withDilation(
  x: tf.Tensor4D,
  rate: Pair,
  kernel: Pair,
  padding: ConvPadding,
  conv: (x: tf.Tensor4D) => tf.Tensor4D,
): tf.Tensor4D {
  return tf.tidy(() => {
    const paddings: [number, number][] = [];
    const crops: [number, number][] = [];
    for (const axis of [0, 1] as const) {
      const n = x.shape[axis + 1]!;
      const d = rate[axis];
      // 'same' at stride 1 pads (k − 1)·d in total, the smaller half before (TensorFlow's rule).
      const total = padding === 'same' ? (kernel[axis] - 1) * d : 0;
      const before = Math.floor(total / 2);
      // Extra zeros at the end make the padded size a multiple of d; cropped off afterwards.
      const extra = (d - ((n + total) % d)) % d;
      paddings.push([before, total - before + extra]);
      crops.push([0, extra]);
    }
    const phases = tf.spaceToBatchND(x, rate, paddings) as tf.Tensor4D; // (d_h·d_w·B, H_p/d_h, W_p/d_w, C)
    const y = conv(phases); // (d_h·d_w·B, H_p/d_h − k_h + 1, W_p/d_w − k_w + 1, F)
    return tf.batchToSpaceND(y, rate, crops) as tf.Tensor4D; // (B, H_out, W_out, F)
  });
}

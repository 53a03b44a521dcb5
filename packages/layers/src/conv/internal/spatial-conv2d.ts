// The one implementation behind conv2d and depthwiseConv2d: bias, activation (fused when
// tfjs can) and differentiable dilation around either tfjs convolution. Not exported from
// the package.
import { tf } from '@tensorloom/core';
import { FUSABLE, getActivation } from '../../core/activations.js';
import type { ActivationFn, ActivationName } from '../../core/activations.js';
import type { Conv2DOptions, ConvPadding } from '../types.js';
import { geometry2D } from './conv-utils.js';
import type { Pair } from './conv-utils.js';
import { withDilation } from './dilation.js';

/** The tfjs convolution to run: a full one, or one per input channel. Also the unit in messages. */
export type SpatialConvOp = 'conv2d' | 'depthwiseConv2d';

/** One undilated convolution with bias and activation, fused into one kernel when tfjs can. */
function convBiasActivation(
  op: SpatialConvOp,
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  bias: tf.Tensor | null,
  strides: Pair,
  padding: ConvPadding,
  activation: ActivationName | ActivationFn,
): tf.Tensor4D {
  if (typeof activation === 'string' && FUSABLE.has(activation)) {
    // tfjs unfuses by itself under a gradient for activations it cannot differentiate fused.
    const fused = op === 'conv2d' ? tf.fused.conv2d : tf.fused.depthwiseConv2d;
    return fused({
      x,
      filter: kernel,
      strides,
      pad: padding,
      bias: bias ?? undefined,
      activation: activation as 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid',
    });
  }
  const y = op === 'conv2d' ? tf.conv2d(x, kernel, strides, padding) : tf.depthwiseConv2d(x, kernel, strides, padding);
  return getActivation(activation)(bias === null ? y : tf.add(y, bias)) as tf.Tensor4D;
}

/**
 * `activation(op(x, kernel) + bias)` over NHWC `x` with strides, padding and dilation.
 * Dilated convolutions run as undilated ones on a space-to-batch view of `x`
 * (see `withDilation`), because tfjs-core 4.22 has no gradient for dilated `conv2d` or
 * `depthwiseConv2d`; the result is the same.
 *
 * @param op - which convolution; it also names the caller in geometry errors.
 * @param kernel - `[kh, kw, inChannels, filters]` for `'conv2d'`, `[kh, kw, channels, multiplier]` for `'depthwiseConv2d'`.
 */
export function spatialConv2d(op: SpatialConvOp, x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null, options: Conv2DOptions): tf.Tensor {
  const g = geometry2D(op, { ...options, kernelSize: [kernel.shape[0]!, kernel.shape[1]!] });
  const activation = options.activation ?? 'linear';
  return tf.tidy(() => {
    const x4 = x as tf.Tensor4D;
    const k4 = kernel as tf.Tensor4D;
    if (g.dilationRate[0] === 1 && g.dilationRate[1] === 1) {
      return convBiasActivation(op, x4, k4, bias, g.strides, g.padding, activation);
    }
    return withDilation(x4, g.dilationRate, g.kernelSize, g.padding, (phases) =>
      convBiasActivation(op, phases, k4, bias, [1, 1], 'valid', activation),
    );
  });
}

import type { tf } from '@tensorloom/core';
import { parameterOptions } from '../core/kernel-layer-config.js';
import type { Shape } from '../module/module.js';
import { checkChannels, geometry2D, knownChannels, resolveDepthwiseConfig, windowOutputSizes } from './internal/conv-utils.js';
import { ShapeCheckedLayer } from './internal/shape-checked-layer.js';
import { spatialConv2d } from './internal/spatial-conv2d.js';
import type { Conv2DOptions, DepthwiseConv2DConfig, Size2D } from './types.js';

/**
 * The output shape of {@link DepthwiseConv2D}: spatial sizes as in {@link conv2dOutputShape},
 * channels multiplied by `depthMultiplier` (unknown channels stay unknown).
 *
 * @param inputShape - `[batch, h, w, channels]`.
 * @param options - `kernelSize`, `depthMultiplier` (default 1) and the geometry.
 * @param unit - names the caller in error messages.
 * @returns `[batch, outH, outW, channels · depthMultiplier]`.
 * @throws ShapeError when the input is not rank 4, or a `'valid'` kernel is larger than the input.
 * @example
 * ```ts
 * depthwiseConv2dOutputShape([null, 8, 8, 3], { kernelSize: 3, depthMultiplier: 2 }); // [null, 6, 6, 6]
 * ```
 *
 * @group Convolution
 */
export function depthwiseConv2dOutputShape(
  inputShape: Shape,
  options: Conv2DOptions & {
    /** Kernel size. */
    kernelSize: Size2D;
    /** Output channels per input channel. Default 1. */
    depthMultiplier?: number;
  },
  unit = 'depthwiseConv2d',
): Shape {
  const g = geometry2D(unit, options);
  const [h, w] = windowOutputSizes(unit, inputShape, '[batch, h, w, c]', g.kernelSize, g.strides, g.dilationRate, g.padding, 'kernel');
  const c = inputShape[3] ?? null;
  return [inputShape[0] ?? null, h, w, c === null ? null : c * (options.depthMultiplier ?? 1)];
}

/**
 * The depthwise convolution: each input channel convolved with its own `depthMultiplier`
 * filters, `activation(depthwise(x, kernel) + bias)`, NHWC. Output channel `c·M + m` comes
 * from input channel `c` and filter `m`. Dilated convolutions run on a space-to-batch view of
 * `x`, because tfjs-core 4.22 has no gradient for dilated `depthwiseConv2d`.
 *
 * @param x - `[batch, h, w, channels]`.
 * @param kernel - `[kh, kw, channels, depthMultiplier]`.
 * @param bias - `[channels · depthMultiplier]` or `null`.
 * @param options - geometry and activation.
 * @returns `[batch, outH, outW, channels · depthMultiplier]`.
 * @example
 * ```ts
 * const y = depthwiseConv2d(tf.ones([1, 5, 5, 3]), tf.ones([3, 3, 3, 2]), null); // [1, 3, 3, 6]
 * ```
 *
 * @group Convolution
 */
export function depthwiseConv2d(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null, options: Conv2DOptions = {}): tf.Tensor {
  return spatialConv2d('depthwiseConv2d', x, kernel, bias, options);
}

/**
 * A depthwise 2-D convolution layer: every input channel gets its own `depthMultiplier`
 * spatial filters and channels never mix (the first half of a separable convolution,
 * MobileNets, https://arxiv.org/abs/1704.04861).
 *
 * Input shape: `[batch, height, width, channels]`.
 *
 * Output shape: `[batch, outHeight, outWidth, channels · depthMultiplier]`, see
 * {@link depthwiseConv2dOutputShape}.
 *
 * Parameters: `depthwiseKernel` `[kh, kw, channels, depthMultiplier]` (the tfjs-layers /
 * Keras layout), `bias` `[channels · depthMultiplier]` (or `null` with `useBias: false`).
 *
 * @example
 * ```ts
 * const dw = new DepthwiseConv2D({ kernelSize: 3, padding: 'same', dilationRate: 2 }).build([null, 16, 16, 8], rng(1));
 * const y = dw.apply(tf.zeros([2, 16, 16, 8])); // [2, 16, 16, 8]
 * ```
 *
 * @group Convolution
 */
export class DepthwiseConv2D extends ShapeCheckedLayer {
  /** The configuration with defaults applied and sizes as `[h, w]`. */
  readonly config: Required<Omit<DepthwiseConv2DConfig, 'name' | 'kernelSize' | 'strides' | 'dilationRate'>> & {
    /** `[kh, kw]`. */
    kernelSize: [number, number];
    /** `[sh, sw]`. */
    strides: [number, number];
    /** `[dh, dw]`. */
    dilationRate: [number, number];
  };
  /** `[kh, kw, channels, depthMultiplier]`, after build. */
  depthwiseKernel: tf.Variable | null = null;
  /** `[channels · depthMultiplier]`, or `null` without bias. */
  bias: tf.Variable | null = null;

  constructor(config: DepthwiseConv2DConfig) {
    super(config);
    const unit = `DepthwiseConv2D '${this.name}'`;
    this.config = resolveDepthwiseConfig(unit, config);
  }

  protected override onBuild(inputShape: Shape): void {
    super.onBuild(inputShape);
    const c = this.config;
    const channels = knownChannels(this.label, inputShape);
    this.depthwiseKernel = this.addParameter('depthwiseKernel', [...c.kernelSize, channels, c.depthMultiplier], c.depthwiseInitializer, parameterOptions(c, 'depthwise'));
    this.bias = c.useBias
      ? this.addParameter('bias', [channels * c.depthMultiplier], c.biasInitializer, parameterOptions(c, 'bias'))
      : null;
  }

  protected shapeFor(inputShape: Shape): Shape {
    return depthwiseConv2dOutputShape(inputShape, this.config, this.label);
  }

  protected forward(x: tf.Tensor): tf.Tensor {
    checkChannels(this.label, x.shape, this.depthwiseKernel!.shape[2]!);
    return depthwiseConv2d(x, this.depthwiseKernel!, this.bias, this.config);
  }
}

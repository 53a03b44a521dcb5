import { tf } from '@tensorloom/core';
import type { ActivationFn, ActivationName } from '../core/activations.js';
import { parameterOptions } from '../core/kernel-layer-config.js';
import type { InitializerLike } from '../initializers/initializers.js';
import type { Shape } from '../module/module.js';
import type { Constraint, Regularizer } from '../regularizers/regularizers.js';
import { conv2d, conv2dOutputShape } from './conv2d.js';
import { depthwiseConv2d } from './depthwise-conv2d.js';
import { checkChannels, checkPositiveInt, knownChannels, resolveDepthwiseConfig } from './internal/conv-utils.js';
import { ShapeCheckedLayer } from './internal/shape-checked-layer.js';
import type { Conv2DOptions, DepthwiseConv2DConfig, Size2D } from './types.js';

/**
 * Configuration of {@link SeparableConv2D}: the fields of {@link DepthwiseConv2DConfig} for
 * the depthwise step (geometry, `depthMultiplier`, depthwise kernel and bias settings), plus
 * `filters` and the pointwise kernel's settings.
 *
 * @example
 * ```ts
 * const config: SeparableConv2DConfig = { filters: 64, kernelSize: 3, padding: 'same', activation: 'relu' };
 * ```
 *
 * @group Convolution
 */
export interface SeparableConv2DConfig extends DepthwiseConv2DConfig {
  /** Output channels. Required, a positive integer. */
  filters: number;
  /** Depthwise kernel `[height, width]`, or one number for both. Required. */
  kernelSize: Size2D;
  /** Depthwise output channels per input channel. Default `1`. */
  depthMultiplier?: number;
  /** Spacing between depthwise kernel taps; cannot exceed 1 together with `strides`. Default `1`. */
  dilationRate?: Size2D;
  /** Activation applied to the output; fused into the pointwise conv when tfjs can. Default `'linear'`. */
  activation?: ActivationName | ActivationFn;
  /** Pointwise kernel initializer. Default `'glorotUniform'`. */
  pointwiseInitializer?: InitializerLike;
  /** Pointwise kernel penalty. Default none. */
  pointwiseRegularizer?: Regularizer | null;
  /** Pointwise kernel projection after each step. Default none. */
  pointwiseConstraint?: Constraint | null;
}

/**
 * The separable convolution: a {@link depthwiseConv2d} (strides, padding and dilation apply
 * to it) followed by a 1×1 {@link conv2d} that mixes channels, then bias and activation.
 *
 * @param x - `[batch, h, w, channels]`.
 * @param depthwiseKernel - `[kh, kw, channels, depthMultiplier]`.
 * @param pointwiseKernel - `[1, 1, channels · depthMultiplier, filters]`.
 * @param bias - `[filters]` or `null`.
 * @param options - geometry (of the depthwise step) and activation.
 * @returns `[batch, outH, outW, filters]` (see {@link conv2dOutputShape}).
 * @example
 * ```ts
 * const y = separableConv2d(tf.ones([1, 5, 5, 3]), tf.ones([3, 3, 3, 1]), tf.ones([1, 1, 3, 8]), null); // [1, 3, 3, 8]
 * ```
 *
 * @group Convolution
 */
export function separableConv2d(
  x: tf.Tensor,
  depthwiseKernel: tf.Tensor,
  pointwiseKernel: tf.Tensor,
  bias: tf.Tensor | null,
  options: Conv2DOptions = {},
): tf.Tensor {
  return tf.tidy(() => {
    const { activation, ...spatial } = options;
    const depthwise = depthwiseConv2d(x, depthwiseKernel, null, spatial); // (B, H', W', C·M)
    return conv2d(depthwise, pointwiseKernel, bias, { activation: activation ?? 'linear' }); // (B, H', W', F)
  });
}

/**
 * A depthwise-separable 2-D convolution layer: a per-channel spatial convolution followed by
 * a 1×1 convolution across channels, far cheaper than a full {@link Conv2D} (Chollet,
 * "Xception", https://arxiv.org/abs/1610.02357).
 *
 * Input shape: `[batch, height, width, channels]`.
 *
 * Output shape: `[batch, outHeight, outWidth, filters]`, as {@link conv2dOutputShape}.
 *
 * Parameters: `depthwiseKernel` `[kh, kw, channels, depthMultiplier]`, `pointwiseKernel`
 * `[1, 1, channels · depthMultiplier, filters]` (the tfjs-layers / Keras layouts), `bias`
 * `[filters]` (or `null` with `useBias: false`).
 *
 * @example
 * ```ts
 * const sep = new SeparableConv2D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' })
 *   .build([null, 32, 32, 8], rng(1));
 * const y = sep.apply(tf.zeros([2, 32, 32, 8])); // [2, 32, 32, 16]
 * ```
 *
 * @group Convolution
 */
export class SeparableConv2D extends ShapeCheckedLayer {
  /** The configuration with defaults applied and sizes as `[h, w]`. */
  readonly config: Required<Omit<SeparableConv2DConfig, 'name' | 'kernelSize' | 'strides' | 'dilationRate'>> & {
    /** `[kh, kw]`. */
    kernelSize: [number, number];
    /** `[sh, sw]`. */
    strides: [number, number];
    /** `[dh, dw]`. */
    dilationRate: [number, number];
  };
  /** `[kh, kw, channels, depthMultiplier]`, after build. */
  depthwiseKernel: tf.Variable | null = null;
  /** `[1, 1, channels · depthMultiplier, filters]`, after build. */
  pointwiseKernel: tf.Variable | null = null;
  /** `[filters]`, or `null` without bias. */
  bias: tf.Variable | null = null;

  constructor(config: SeparableConv2DConfig) {
    super(config);
    const unit = `SeparableConv2D '${this.name}'`;
    checkPositiveInt(unit, 'filters', config.filters);
    this.config = {
      filters: config.filters,
      ...resolveDepthwiseConfig(unit, config),
      pointwiseInitializer: config.pointwiseInitializer ?? 'glorotUniform',
      pointwiseRegularizer: config.pointwiseRegularizer ?? null,
      pointwiseConstraint: config.pointwiseConstraint ?? null,
    };
  }

  protected override onBuild(inputShape: Shape): void {
    super.onBuild(inputShape);
    const c = this.config;
    const channels = knownChannels(this.label, inputShape);
    this.depthwiseKernel = this.addParameter('depthwiseKernel', [...c.kernelSize, channels, c.depthMultiplier], c.depthwiseInitializer, parameterOptions(c, 'depthwise'));
    this.pointwiseKernel = this.addParameter('pointwiseKernel', [1, 1, channels * c.depthMultiplier, c.filters], c.pointwiseInitializer, parameterOptions(c, 'pointwise'));
    this.bias = c.useBias ? this.addParameter('bias', [c.filters], c.biasInitializer, parameterOptions(c, 'bias')) : null;
  }

  protected shapeFor(inputShape: Shape): Shape {
    return conv2dOutputShape(inputShape, this.config, this.label);
  }

  protected forward(x: tf.Tensor): tf.Tensor {
    checkChannels(this.label, x.shape, this.depthwiseKernel!.shape[2]!);
    return separableConv2d(x, this.depthwiseKernel!, this.pointwiseKernel!, this.bias, this.config);
  }
}

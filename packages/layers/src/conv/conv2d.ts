import type { tf } from '@tensorloom/core';
import type { ActivationFn, ActivationName } from '../core/activations.js';
import { parameterOptions } from '../core/kernel-layer-config.js';
import type { KernelLayerConfig } from '../core/kernel-layer-config.js';
import type { Shape } from '../module/module.js';
import { checkChannels, geometry2D, knownChannels, resolveFilterConfig, windowOutputSizes } from './internal/conv-utils.js';
import { ShapeCheckedLayer } from './internal/shape-checked-layer.js';
import { spatialConv2d } from './internal/spatial-conv2d.js';
import type { Conv2DOptions, ConvPadding, Size2D } from './types.js';

/**
 * Configuration of {@link Conv2D}.
 *
 * @example
 * ```ts
 * const config: Conv2DConfig = { filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' };
 * ```
 *
 * @group Convolution
 */
export interface Conv2DConfig extends KernelLayerConfig {
  /** Output channels. Required, a positive integer. */
  filters: number;
  /** Kernel `[height, width]`, or one number for both. Required. */
  kernelSize: Size2D;
  /** Step between windows, `[h, w]` or one number. Default `1`. */
  strides?: Size2D;
  /** Border handling, see {@link ConvPadding}. Default `'valid'`. */
  padding?: ConvPadding;
  /** Spacing between kernel taps (atrous convolution), `[h, w]` or one number. Cannot exceed 1 together with `strides`. Default `1`. */
  dilationRate?: Size2D;
  /** Activation applied to the output; fused into the conv kernel when tfjs can. Default `'linear'`. */
  activation?: ActivationName | ActivationFn;
}

/**
 * The output shape of {@link Conv2D}: each spatial size `n` becomes `⌈n / s⌉` with
 * `'same'` padding or `⌊(n − (k − 1)·d − 1) / s⌋ + 1` with `'valid'`; channels become
 * `filters`. Unknown (`null`) sizes stay unknown.
 *
 * @param inputShape - `[batch, h, w, channels]`.
 * @param options - `filters`, `kernelSize` and the {@link Conv2DOptions} geometry.
 * @param unit - names the caller in error messages.
 * @returns `[batch, outH, outW, filters]`.
 * @throws ShapeError when the input is not rank 4, or a `'valid'` kernel is larger than the input.
 * @example
 * ```ts
 * conv2dOutputShape([null, 28, 28, 1], { filters: 8, kernelSize: 5 });                 // [null, 24, 24, 8]
 * conv2dOutputShape([1, 28, 28, 1], { filters: 8, kernelSize: 3, strides: 2, padding: 'same' }); // [1, 14, 14, 8]
 * ```
 *
 * @group Convolution
 */
export function conv2dOutputShape(
  inputShape: Shape,
  options: Conv2DOptions & { filters: number; kernelSize: Size2D },
  unit = 'conv2d',
): Shape {
  const g = geometry2D(unit, options);
  const [h, w] = windowOutputSizes(unit, inputShape, '[batch, h, w, c]', g.kernelSize, g.strides, g.dilationRate, g.padding, 'kernel');
  return [inputShape[0] ?? null, h, w, options.filters];
}

/**
 * The 2-D convolution `activation(conv(x, kernel) + bias)`, NHWC, with strides, padding and
 * dilation. Dilated convolutions run as undilated ones on a space-to-batch view of `x`,
 * because tfjs-core 4.22 has no gradient for dilated `conv2d`; the result is the same.
 *
 * @param x - `[batch, h, w, inChannels]`.
 * @param kernel - `[kh, kw, inChannels, filters]` (the tfjs-layers / Keras layout).
 * @param bias - `[filters]` or `null`.
 * @param options - geometry and activation.
 * @returns `[batch, outH, outW, filters]` (see {@link conv2dOutputShape}).
 * @example
 * ```ts
 * const y = conv2d(tf.ones([1, 5, 5, 1]), tf.ones([3, 3, 1, 2]), null, { padding: 'same' }); // [1, 5, 5, 2]
 * ```
 *
 * @group Convolution
 */
export function conv2d(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null, options: Conv2DOptions = {}): tf.Tensor {
  return spatialConv2d('conv2d', x, kernel, bias, options);
}

/**
 * A 2-D convolution layer over NHWC images, with optional bias and fused activation.
 *
 * Input shape: `[batch, height, width, inChannels]`.
 *
 * Output shape: `[batch, outHeight, outWidth, filters]`, see {@link conv2dOutputShape}.
 *
 * Parameters: `kernel` `[kh, kw, inChannels, filters]` (the tfjs-layers / Keras layout, so
 * weights copy over directly), `bias` `[filters]` (or `null` with `useBias: false`).
 * Dilation follows Yu & Koltun, "Multi-Scale Context Aggregation by Dilated Convolutions"
 * (https://arxiv.org/abs/1511.07122).
 *
 * @example
 * ```ts
 * const conv = new Conv2D({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1' })
 *   .build([null, 28, 28, 1], rng(1));
 * const y = conv.apply(tf.zeros([4, 28, 28, 1])); // [4, 28, 28, 8]
 * ```
 *
 * @group Convolution
 */
export class Conv2D extends ShapeCheckedLayer {
  /** The configuration with defaults applied and sizes as `[h, w]`. */
  readonly config: Required<Omit<Conv2DConfig, 'name' | 'kernelSize' | 'strides' | 'dilationRate'>> & {
    /** `[kh, kw]`. */
    kernelSize: [number, number];
    /** `[sh, sw]`. */
    strides: [number, number];
    /** `[dh, dw]`. */
    dilationRate: [number, number];
  };
  /** `[kh, kw, inChannels, filters]`, after build. */
  kernel: tf.Variable | null = null;
  /** `[filters]`, or `null` without bias. */
  bias: tf.Variable | null = null;

  constructor(config: Conv2DConfig) {
    super(config);
    const unit = `Conv2D '${this.name}'`;
    this.config = { ...resolveFilterConfig(unit, config), ...geometry2D(unit, config) };
  }

  protected override onBuild(inputShape: Shape): void {
    super.onBuild(inputShape);
    const c = this.config;
    const inChannels = knownChannels(this.label, inputShape);
    this.kernel = this.addParameter('kernel', [...c.kernelSize, inChannels, c.filters], c.kernelInitializer, parameterOptions(c, 'kernel'));
    this.bias = c.useBias ? this.addParameter('bias', [c.filters], c.biasInitializer, parameterOptions(c, 'bias')) : null;
  }

  protected shapeFor(inputShape: Shape): Shape {
    return conv2dOutputShape(inputShape, this.config, this.label);
  }

  protected forward(x: tf.Tensor): tf.Tensor {
    checkChannels(this.label, x.shape, this.kernel!.shape[2]!);
    return conv2d(x, this.kernel!, this.bias, this.config);
  }
}

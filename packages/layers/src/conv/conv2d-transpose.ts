import { ConfigError, assertRank, formatShape, tf } from '@tensorloom/core';
import { getActivation } from '../core/activations.js';
import type { ActivationFn, ActivationName } from '../core/activations.js';
import { parameterOptions } from '../core/kernel-layer-config.js';
import type { KernelLayerConfig } from '../core/kernel-layer-config.js';
import type { Shape } from '../module/module.js';
import { checkChannels, checkPadding, knownChannels, resolveFilterConfig, toPair } from './internal/conv-utils.js';
import type { Pair } from './internal/conv-utils.js';
import { ShapeCheckedLayer } from './internal/shape-checked-layer.js';
import type { ConvPadding, Size2D } from './types.js';

/**
 * Configuration of {@link Conv2DTranspose}.
 *
 * @example
 * ```ts
 * const config: Conv2DTransposeConfig = { filters: 16, kernelSize: 3, strides: 2, padding: 'same' };
 * ```
 *
 * @group Convolution
 */
export interface Conv2DTransposeConfig extends KernelLayerConfig {
  /** Output channels. Required, a positive integer. */
  filters: number;
  /** Kernel `[height, width]`, or one number for both. Required. */
  kernelSize: Size2D;
  /** Upsampling factor (the strides of the convolution this one transposes), `[h, w]` or one number. Default `1`. */
  strides?: Size2D;
  /** Padding of the convolution this one transposes, see {@link ConvPadding}. Default `'valid'`. */
  padding?: ConvPadding;
  /**
   * Extra rows / columns at the bottom / right of the output, each smaller than the stride:
   * picks one of the output sizes that a strided convolution maps to the same input size.
   * `null` infers the size as tfjs-layers does (see {@link conv2dTransposeOutputShape}). Default `null`.
   */
  outputPadding?: Size2D | null;
  /** Activation applied to the output. Default `'linear'`. */
  activation?: ActivationName | ActivationFn;
}

/**
 * Options of the functional {@link conv2dTranspose}.
 *
 * @example
 * ```ts
 * const options: Conv2DTransposeOptions = { strides: 2, padding: 'same', outputPadding: 1 };
 * ```
 *
 * @group Convolution
 */
export interface Conv2DTransposeOptions {
  /** Upsampling factor. Default `1`. */
  strides?: Size2D;
  /** Padding of the convolution this one transposes. Default `'valid'`. */
  padding?: ConvPadding;
  /** Extra rows / columns at the bottom / right, each smaller than the stride; `null` infers. Default `null`. */
  outputPadding?: Size2D | null;
  /** Activation of the output. Default `'linear'`. */
  activation?: ActivationName | ActivationFn;
}

interface Geometry {
  kernelSize: Pair;
  strides: Pair;
  padding: ConvPadding;
  outputPadding: Pair | null;
}

function geometry(unit: string, options: Conv2DTransposeOptions & { kernelSize: Size2D }): Geometry {
  const kernelSize = toPair(unit, 'kernelSize', options.kernelSize, 1);
  const strides = toPair(unit, 'strides', options.strides, 1);
  const padding = checkPadding<ConvPadding>(unit, options.padding, ['valid', 'same'], 'valid');
  const op = options.outputPadding ?? null;
  const outputPadding = op === null ? null : toPair(unit, 'outputPadding', op, 0, 0);
  if (outputPadding !== null) {
    if (outputPadding.some((p, i) => p >= strides[i]!)) {
      throw new ConfigError(
        `${unit}: outputPadding expected values smaller than strides ${formatShape(strides)}, got ${formatShape(outputPadding)}`,
      );
    }
    // With 'same' and an even kernel, the size without output padding is one short of any
    // size that a strided convolution maps back to the input size.
    if (padding === 'same' && outputPadding.some((p, i) => p === 0 && kernelSize[i]! % 2 === 0)) {
      throw new ConfigError(
        `${unit}: outputPadding expected >= 1 along axes of an even kernel with padding 'same' (kernelSize ${formatShape(kernelSize)}), got ${formatShape(outputPadding)}`,
        { help: 'use outputPadding 1 on those axes, or outputPadding null for the tfjs-layers size' },
      );
    }
  }
  return { kernelSize, strides, padding, outputPadding };
}

function transposedLength(n: number | null, kernel: number, stride: number, padding: ConvPadding, outputPadding: number | null): number | null {
  if (n === null) return null;
  if (outputPadding === null) return padding === 'valid' ? n * stride + Math.max(kernel - stride, 0) : n * stride;
  const pad = padding === 'same' ? Math.floor(kernel / 2) : 0;
  return (n - 1) * stride + kernel - 2 * pad + outputPadding;
}

/**
 * The output shape of {@link Conv2DTranspose}. Without `outputPadding` a size `n` becomes
 * `n·s + max(k − s, 0)` with `'valid'` padding and `n·s` with `'same'` (as tfjs-layers); with
 * it, `(n − 1)·s + k − 2·p + outputPadding` where `p = ⌊k / 2⌋` for `'same'` and 0 for
 * `'valid'` (as Keras and PyTorch). Either way the strided convolution with the same geometry
 * maps the output size back to `n`.
 *
 * @param inputShape - `[batch, h, w, channels]`.
 * @param options - `filters`, `kernelSize` and the {@link Conv2DTransposeOptions} geometry.
 * @param unit - names the caller in error messages.
 * @returns `[batch, outH, outW, filters]`.
 * @throws ShapeError when the input is not rank 4.
 * @example
 * ```ts
 * conv2dTransposeOutputShape([null, 7, 7, 8], { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }); // [null, 14, 14, 4]
 * conv2dTransposeOutputShape([null, 7, 7, 8], { filters: 4, kernelSize: 3, strides: 2 });                  // [null, 15, 15, 4]
 * ```
 *
 * @group Convolution
 */
export function conv2dTransposeOutputShape(
  inputShape: Shape,
  options: Conv2DTransposeOptions & {
    /** Output channels. */
    filters: number;
    /** Kernel size. */
    kernelSize: Size2D;
  },
  unit = 'conv2dTranspose',
): Shape {
  const g = geometry(unit, options);
  assertRank(unit, 'input', inputShape as readonly number[], 4, '[batch, h, w, c]');
  const op = g.outputPadding;
  return [
    inputShape[0] ?? null,
    transposedLength(inputShape[1] ?? null, g.kernelSize[0], g.strides[0], g.padding, op === null ? null : op[0]),
    transposedLength(inputShape[2] ?? null, g.kernelSize[1], g.strides[1], g.padding, op === null ? null : op[1]),
    options.filters,
  ];
}

/**
 * The transposed 2-D convolution (the gradient of {@link conv2d} with respect to its input,
 * sometimes called deconvolution), then bias and activation, NHWC.
 *
 * @param x - `[batch, h, w, inChannels]`.
 * @param kernel - `[kh, kw, filters, inChannels]` (the tfjs-layers / Keras layout of a
 *   transposed convolution: the kernel of the convolution it transposes).
 * @param bias - `[filters]` or `null`.
 * @param options - geometry and activation.
 * @returns `[batch, outH, outW, filters]` (see {@link conv2dTransposeOutputShape}).
 * @example
 * ```ts
 * const y = conv2dTranspose(tf.ones([1, 4, 4, 2]), tf.ones([3, 3, 1, 2]), null, { strides: 2, padding: 'same' }); // [1, 8, 8, 1]
 * ```
 *
 * @group Convolution
 */
export function conv2dTranspose(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null, options: Conv2DTransposeOptions = {}): tf.Tensor {
  const filters = kernel.shape[2]!;
  const out = conv2dTransposeOutputShape(x.shape, { ...options, filters, kernelSize: [kernel.shape[0]!, kernel.shape[1]!] }) as number[];
  const g = geometry('conv2dTranspose', { ...options, kernelSize: [kernel.shape[0]!, kernel.shape[1]!] });
  return tf.tidy(() => {
    const y = tf.conv2dTranspose(x as tf.Tensor4D, kernel as tf.Tensor4D, out as [number, number, number, number], g.strides, g.padding);
    return getActivation(options.activation ?? 'linear')(bias === null ? y : tf.add(y, bias)); // (B, H_out, W_out, F)
  });
}

/**
 * A transposed 2-D convolution layer: learned upsampling, the shape inverse of a strided
 * {@link Conv2D} (Zeiler et al., "Deconvolutional Networks", and the decoder half of U-Net,
 * https://arxiv.org/abs/1505.04597).
 *
 * Input shape: `[batch, height, width, inChannels]`.
 *
 * Output shape: `[batch, outHeight, outWidth, filters]`, see {@link conv2dTransposeOutputShape}.
 *
 * Parameters: `kernel` `[kh, kw, filters, inChannels]` (the tfjs-layers / Keras layout for
 * transposed convolutions, output channels before input channels), `bias` `[filters]` (or
 * `null` with `useBias: false`).
 *
 * @example
 * ```ts
 * const up = new Conv2DTranspose({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }).build([null, 7, 7, 16], rng(1));
 * const y = up.apply(tf.zeros([2, 7, 7, 16])); // [2, 14, 14, 8]
 * ```
 *
 * @group Convolution
 */
export class Conv2DTranspose extends ShapeCheckedLayer {
  /** The configuration with defaults applied and sizes as `[h, w]`. */
  readonly config: Required<Omit<Conv2DTransposeConfig, 'name' | 'kernelSize' | 'strides' | 'outputPadding'>> & {
    /** `[kh, kw]`. */
    kernelSize: [number, number];
    /** `[sh, sw]`. */
    strides: [number, number];
    /** `[ph, pw]`, or `null` to infer the size. */
    outputPadding: [number, number] | null;
  };
  /** `[kh, kw, filters, inChannels]`, after build. */
  kernel: tf.Variable | null = null;
  /** `[filters]`, or `null` without bias. */
  bias: tf.Variable | null = null;

  constructor(config: Conv2DTransposeConfig) {
    super(config);
    const unit = `Conv2DTranspose '${this.name}'`;
    this.config = { ...resolveFilterConfig(unit, config), ...geometry(unit, config) };
  }

  protected override onBuild(inputShape: Shape): void {
    super.onBuild(inputShape);
    const c = this.config;
    const inChannels = knownChannels(this.label, inputShape);
    this.kernel = this.addParameter('kernel', [...c.kernelSize, c.filters, inChannels], c.kernelInitializer, parameterOptions(c, 'kernel'));
    this.bias = c.useBias ? this.addParameter('bias', [c.filters], c.biasInitializer, parameterOptions(c, 'bias')) : null;
  }

  protected shapeFor(inputShape: Shape): Shape {
    return conv2dTransposeOutputShape(inputShape, this.config, this.label);
  }

  protected forward(x: tf.Tensor): tf.Tensor {
    checkChannels(this.label, x.shape, this.kernel!.shape[3]!);
    return conv2dTranspose(x, this.kernel!, this.bias, this.config);
  }
}

import { tf } from '@tensorloom/core';
import type { ActivationFn, ActivationName } from '../core/activations.js';
import { parameterOptions } from '../core/kernel-layer-config.js';
import type { KernelLayerConfig } from '../core/kernel-layer-config.js';
import type { Shape } from '../module/module.js';
import { conv2d } from './conv2d.js';
import {
  checkChannels,
  checkPadding,
  checkStridesOrDilation,
  knownChannels,
  resolveFilterConfig,
  toSingle,
  windowOutputSizes,
} from './internal/conv-utils.js';
import { ShapeCheckedLayer } from './internal/shape-checked-layer.js';

/**
 * How {@link Conv1D} treats the sequence ends: `'valid'` and `'same'` as in
 * {@link ConvPadding}, or `'causal'`: `(k − 1)·dilation` zeros before the sequence only, so
 * output step `t` sees inputs up to `t` and never later ones (WaveNet,
 * https://arxiv.org/abs/1609.03499). The length becomes `⌈n / stride⌉`.
 *
 * @example
 * ```ts
 * const padding: Conv1DPadding = 'causal';
 * ```
 *
 * @group Convolution
 */
export type Conv1DPadding = 'valid' | 'same' | 'causal';

/**
 * Configuration of {@link Conv1D}.
 *
 * @example
 * ```ts
 * const config: Conv1DConfig = { filters: 16, kernelSize: 3, padding: 'causal', dilationRate: 2 };
 * ```
 *
 * @group Convolution
 */
export interface Conv1DConfig extends KernelLayerConfig {
  /** Output features. Required, a positive integer. */
  filters: number;
  /** Kernel length. Required. */
  kernelSize: number | readonly [number];
  /** Step between windows. Default `1`. */
  strides?: number | readonly [number];
  /** Sequence-end handling, see {@link Conv1DPadding}. Default `'valid'`. */
  padding?: Conv1DPadding;
  /** Spacing between kernel taps; cannot exceed 1 together with `strides`. Default `1`. */
  dilationRate?: number | readonly [number];
  /** Activation applied to the output; fused into the conv kernel when tfjs can. Default `'linear'`. */
  activation?: ActivationName | ActivationFn;
}

/**
 * Options of the functional {@link conv1d}.
 *
 * @example
 * ```ts
 * const options: Conv1DOptions = { padding: 'causal', dilationRate: 4 };
 * ```
 *
 * @group Convolution
 */
export interface Conv1DOptions {
  /** Step between windows. Default `1`. */
  strides?: number;
  /** Sequence-end handling. Default `'valid'`. */
  padding?: Conv1DPadding;
  /** Spacing between kernel taps; cannot exceed 1 together with `strides`. Default `1`. */
  dilationRate?: number;
  /** Activation of the output. Default `'linear'`. */
  activation?: ActivationName | ActivationFn;
}

interface Geometry {
  kernelSize: number;
  strides: number;
  padding: Conv1DPadding;
  dilationRate: number;
}

function geometry(
  unit: string,
  options: { kernelSize: number | readonly [number]; strides?: number | readonly [number]; padding?: Conv1DPadding; dilationRate?: number | readonly [number] },
): Geometry {
  const g = {
    kernelSize: toSingle(unit, 'kernelSize', options.kernelSize, 1),
    strides: toSingle(unit, 'strides', options.strides, 1),
    padding: checkPadding<Conv1DPadding>(unit, options.padding, ['valid', 'same', 'causal'], 'valid'),
    dilationRate: toSingle(unit, 'dilationRate', options.dilationRate, 1),
  };
  checkStridesOrDilation(unit, [g.strides], [g.dilationRate]);
  return g;
}

/**
 * The output shape of {@link Conv1D}: the time length `n` becomes `⌊(n − (k − 1)·d − 1) / s⌋ + 1`
 * with `'valid'` padding and `⌈n / s⌉` with `'same'` or `'causal'`; features become `filters`.
 *
 * @param inputShape - `[batch, time, features]`.
 * @param options - `filters`, `kernelSize` and the {@link Conv1DOptions} geometry.
 * @param unit - names the caller in error messages.
 * @returns `[batch, outTime, filters]`.
 * @throws ShapeError when the input is not rank 3, or a `'valid'` kernel is longer than the input.
 * @example
 * ```ts
 * conv1dOutputShape([null, 100, 8], { filters: 16, kernelSize: 5 });                   // [null, 96, 16]
 * conv1dOutputShape([null, 100, 8], { filters: 16, kernelSize: 5, padding: 'causal' }); // [null, 100, 16]
 * ```
 *
 * @group Convolution
 */
export function conv1dOutputShape(
  inputShape: Shape,
  options: Omit<Conv1DOptions, 'strides' | 'dilationRate'> & {
    /** Output features. */
    filters: number;
    /** Kernel length. */
    kernelSize: number | readonly [number];
    /** Step between windows. */
    strides?: number | readonly [number];
    /** Spacing between kernel taps. */
    dilationRate?: number | readonly [number];
  },
  unit = 'conv1d',
): Shape {
  const g = geometry(unit, options);
  // Causal padding adds (k − 1)·d zeros before the sequence: the length of 'same', no fit check.
  const padding = g.padding === 'causal' ? 'same' : g.padding;
  const [t] = windowOutputSizes(unit, inputShape, '[batch, time, features]', [g.kernelSize], [g.strides], [g.dilationRate], padding, 'kernel');
  return [inputShape[0] ?? null, t, options.filters];
}

/**
 * The 1-D convolution `activation(conv(x, kernel) + bias)` over `[batch, time, features]`:
 * the 2-D {@link conv2d} on a height-1 image (so it shares its fused kernels and its
 * differentiable dilation).
 *
 * @param x - `[batch, time, inFeatures]`.
 * @param kernel - `[k, inFeatures, filters]` (the tfjs-layers / Keras layout).
 * @param bias - `[filters]` or `null`.
 * @param options - geometry and activation.
 * @returns `[batch, outTime, filters]` (see {@link conv1dOutputShape}).
 * @example
 * ```ts
 * const y = conv1d(tf.ones([2, 10, 4]), tf.ones([3, 4, 8]), null, { padding: 'causal' }); // [2, 10, 8]
 * ```
 *
 * @group Convolution
 */
export function conv1d(x: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor | null, options: Conv1DOptions = {}): tf.Tensor {
  const g = geometry('conv1d', { ...options, kernelSize: kernel.shape[0]! });
  return tf.tidy(() => {
    let input = x;
    let padding = g.padding;
    if (padding === 'causal') {
      input = tf.pad(x, [[0, 0], [(g.kernelSize - 1) * g.dilationRate, 0], [0, 0]]); // (B, T + (k−1)·d, C)
      padding = 'valid';
    }
    const y = conv2d(tf.expandDims(input, 1) /* (B, 1, T, C) */, tf.expandDims(kernel, 0) /* (1, k, C, F) */, bias, {
      strides: [1, g.strides],
      padding,
      dilationRate: [1, g.dilationRate],
      activation: options.activation ?? 'linear',
    }); // (B, 1, T', F)
    return tf.squeeze(y, [1]); // (B, T', F)
  });
}

/**
 * A 1-D convolution layer over sequences `[batch, time, features]`, with optional bias,
 * fused activation and causal padding. It does not propagate masks.
 *
 * Input shape: `[batch, time, inFeatures]`.
 *
 * Output shape: `[batch, outTime, filters]`, see {@link conv1dOutputShape}.
 *
 * Parameters: `kernel` `[k, inFeatures, filters]` (the tfjs-layers / Keras layout),
 * `bias` `[filters]` (or `null` with `useBias: false`).
 *
 * @example
 * ```ts
 * const conv = new Conv1D({ filters: 16, kernelSize: 3, padding: 'causal', activation: 'relu' })
 *   .build([null, 50, 8], rng(1));
 * const y = conv.apply(tf.zeros([4, 50, 8])); // [4, 50, 16]
 * ```
 *
 * @group Convolution
 */
export class Conv1D extends ShapeCheckedLayer {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<Conv1DConfig, 'name' | 'kernelSize' | 'strides' | 'dilationRate'>> & {
    /** Kernel length. */
    kernelSize: number;
    /** Step between windows. */
    strides: number;
    /** Spacing between kernel taps. */
    dilationRate: number;
  };
  /** `[k, inFeatures, filters]`, after build. */
  kernel: tf.Variable | null = null;
  /** `[filters]`, or `null` without bias. */
  bias: tf.Variable | null = null;

  constructor(config: Conv1DConfig) {
    super(config);
    const unit = `Conv1D '${this.name}'`;
    this.config = { ...resolveFilterConfig(unit, config), ...geometry(unit, config) };
  }

  protected override onBuild(inputShape: Shape): void {
    super.onBuild(inputShape);
    const c = this.config;
    const inFeatures = knownChannels(this.label, inputShape);
    this.kernel = this.addParameter('kernel', [c.kernelSize, inFeatures, c.filters], c.kernelInitializer, parameterOptions(c, 'kernel'));
    this.bias = c.useBias ? this.addParameter('bias', [c.filters], c.biasInitializer, parameterOptions(c, 'bias')) : null;
  }

  protected shapeFor(inputShape: Shape): Shape {
    return conv1dOutputShape(inputShape, this.config, this.label);
  }

  protected forward(x: tf.Tensor): tf.Tensor {
    checkChannels(this.label, x.shape, this.kernel!.shape[1]!);
    return conv1d(x, this.kernel!, this.bias, this.config);
  }
}

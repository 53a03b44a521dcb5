// Option types shared by the convolution, pooling and resampling layers, and the configs
// that the internal helpers read: everything in this folder imports types from here, and
// this file imports nothing from the folder, so the imports run one way.
import type { ActivationFn, ActivationName } from '../core/activations.js';
import type { InitializerLike } from '../initializers/initializers.js';
import type { ModuleConfig } from '../module/module.js';
import type { Constraint, Regularizer } from '../regularizers/regularizers.js';

/**
 * How a convolution or pooling window treats the border.
 *
 * - `'valid'`: no padding; the window only visits positions where it fits, so a spatial
 *   size `n` becomes `⌊(n − k_eff) / stride⌋ + 1` with `k_eff = (k − 1)·dilation + 1`.
 * - `'same'`: zero padding (TensorFlow's rule: total `max((⌈n/s⌉ − 1)·s + k_eff − n, 0)`,
 *   the smaller half before), so `n` becomes `⌈n / stride⌉`.
 *
 * @example
 * ```ts
 * const padding: ConvPadding = 'same';
 * ```
 *
 * @group Convolution
 */
export type ConvPadding = 'valid' | 'same';

/**
 * A size along the two spatial axes: one number for both, or `[height, width]`.
 *
 * @example
 * ```ts
 * const kernelSize: Size2D = [3, 5]; // 3 rows by 5 columns
 * const strides: Size2D = 2;         // 2 along both axes
 * ```
 *
 * @group Convolution
 */
export type Size2D = number | readonly [number, number];

/**
 * Per-side amounts along the two spatial axes (padding or cropping): one number for every
 * side, `[vertical, horizontal]` symmetric amounts, or `[[top, bottom], [left, right]]`.
 *
 * @example
 * ```ts
 * const all: Sides2D = 1;                  // 1 on every side
 * const sym: Sides2D = [1, 2];             // 1 top and bottom, 2 left and right
 * const any: Sides2D = [[0, 1], [2, 0]];   // top 0, bottom 1, left 2, right 0
 * ```
 *
 * @group Convolution
 */
export type Sides2D = number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];

/**
 * Options of the functional {@link conv2d}.
 *
 * @example
 * ```ts
 * const options: Conv2DOptions = { strides: 2, padding: 'same', activation: 'relu' };
 * ```
 *
 * @group Convolution
 */
export interface Conv2DOptions {
  /** Step between windows. Default `1`. */
  strides?: Size2D;
  /** Border handling. Default `'valid'`. */
  padding?: ConvPadding;
  /** Spacing between kernel taps; cannot exceed 1 together with `strides`. Default `1`. */
  dilationRate?: Size2D;
  /** Activation of the output. Default `'linear'`. */
  activation?: ActivationName | ActivationFn;
}

/**
 * Configuration of {@link DepthwiseConv2D}.
 *
 * @example
 * ```ts
 * const config: DepthwiseConv2DConfig = { kernelSize: 3, depthMultiplier: 2, padding: 'same' };
 * ```
 *
 * @group Convolution
 */
export interface DepthwiseConv2DConfig extends ModuleConfig {
  /** Kernel `[height, width]`, or one number for both. Required. */
  kernelSize: Size2D;
  /** Output channels per input channel. Default `1`. */
  depthMultiplier?: number;
  /** Step between windows, `[h, w]` or one number. Default `1`. */
  strides?: Size2D;
  /** Border handling, see {@link ConvPadding}. Default `'valid'`. */
  padding?: ConvPadding;
  /** Spacing between kernel taps, `[h, w]` or one number. Cannot exceed 1 together with `strides`. Default `1`. */
  dilationRate?: Size2D;
  /** Activation applied to the output; fused into the conv kernel when tfjs can. Default `'linear'`. */
  activation?: ActivationName | ActivationFn;
  /** Whether to add a bias. Default `true`. */
  useBias?: boolean;
  /** Depthwise kernel initializer. Default `'glorotUniform'`. */
  depthwiseInitializer?: InitializerLike;
  /** Bias initializer. Default `'zeros'`. */
  biasInitializer?: InitializerLike;
  /** Depthwise kernel penalty. Default none. */
  depthwiseRegularizer?: Regularizer | null;
  /** Bias penalty. Default none. */
  biasRegularizer?: Regularizer | null;
  /** Depthwise kernel projection after each step. Default none. */
  depthwiseConstraint?: Constraint | null;
  /** Bias projection after each step. Default none. */
  biasConstraint?: Constraint | null;
}

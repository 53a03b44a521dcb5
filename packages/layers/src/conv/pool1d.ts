import { tf } from '@tensorloom/core';
import type { ModuleConfig, Shape } from '../module/module.js';
import { checkPadding, toSingle, windowOutputSizes } from './internal/conv-utils.js';
import { ShapeCheckedLayer } from './internal/shape-checked-layer.js';
import { pool2d } from './pool2d.js';
import type { PoolMode } from './pool2d.js';
import type { ConvPadding } from './types.js';

/**
 * Configuration of {@link MaxPool1D} and {@link AvgPool1D}.
 *
 * @example
 * ```ts
 * const config: Pool1DConfig = { poolSize: 2 }; // halves the sequence
 * ```
 *
 * @group Pooling
 */
export interface Pool1DConfig extends ModuleConfig {
  /** Window length. Default `2`. */
  poolSize?: number | readonly [number];
  /** Step between windows. Default: `poolSize`. */
  strides?: number | readonly [number] | null;
  /** Border handling, see {@link ConvPadding}; padded steps never count. Default `'valid'`. */
  padding?: ConvPadding;
}

/**
 * Options of the functional {@link pool1d}.
 *
 * @example
 * ```ts
 * const options: Pool1DOptions = { poolSize: 3, strides: 1, padding: 'same' };
 * ```
 *
 * @group Pooling
 */
export interface Pool1DOptions {
  /** Window length. Default `2`. */
  poolSize?: number | readonly [number];
  /** Step between windows. Default: `poolSize`. */
  strides?: number | readonly [number] | null;
  /** Border handling. Default `'valid'`. */
  padding?: ConvPadding;
}

interface Geometry {
  poolSize: number;
  strides: number;
  padding: ConvPadding;
}

function geometry(unit: string, options: Pool1DOptions): Geometry {
  const poolSize = toSingle(unit, 'poolSize', options.poolSize, 2);
  return {
    poolSize,
    strides: toSingle(unit, 'strides', options.strides ?? undefined, poolSize),
    padding: checkPadding<ConvPadding>(unit, options.padding, ['valid', 'same'], 'valid'),
  };
}

/**
 * The output shape of 1-D pooling: the time length `n` becomes `⌊(n − k) / s⌋ + 1` with
 * `'valid'` padding and `⌈n / s⌉` with `'same'`; features are unchanged.
 *
 * @param inputShape - `[batch, time, features]`.
 * @param options - window geometry.
 * @param unit - names the caller in error messages.
 * @returns `[batch, outTime, features]`.
 * @throws ShapeError when the input is not rank 3, or a `'valid'` window is longer than the input.
 * @example
 * ```ts
 * pool1dOutputShape([null, 100, 16], { poolSize: 4 }); // [null, 25, 16]
 * ```
 *
 * @group Pooling
 */
export function pool1dOutputShape(inputShape: Shape, options: Pool1DOptions = {}, unit = 'pool1d'): Shape {
  const g = geometry(unit, options);
  const [t] = windowOutputSizes(unit, inputShape, '[batch, time, features]', [g.poolSize], [g.strides], [1], g.padding, 'poolSize');
  return [inputShape[0] ?? null, t, inputShape[2] ?? null];
}

/**
 * 1-D max or average pooling over `[batch, time, features]`: {@link pool2d} on a height-1
 * image, so 'same' averages count real steps only.
 *
 * @param x - `[batch, time, features]`.
 * @param mode - `'max'` or `'avg'`.
 * @param options - window geometry.
 * @returns `[batch, outTime, features]` (see {@link pool1dOutputShape}).
 * @example
 * ```ts
 * const y = pool1d(tf.ones([2, 10, 4]), 'avg', { poolSize: 2 }); // [2, 5, 4]
 * ```
 *
 * @group Pooling
 */
export function pool1d(x: tf.Tensor, mode: PoolMode, options: Pool1DOptions = {}): tf.Tensor {
  const g = geometry('pool1d', options);
  return tf.tidy(() => {
    const y = pool2d(tf.expandDims(x, 1) /* (B, 1, T, C) */, mode, {
      poolSize: [1, g.poolSize],
      strides: [1, g.strides],
      padding: g.padding,
    }); // (B, 1, T', C)
    return tf.squeeze(y, [1]); // (B, T', C)
  });
}

/**
 * Max or average pooling over windows of time steps, by `mode`: the body of `MaxPool1D` and
 * `AvgPool1D`, which fix the mode.
 */
abstract class Pool1DLayer extends ShapeCheckedLayer {
  /** The configuration with defaults applied. */
  readonly config: {
    /** Window length. */
    poolSize: number;
    /** Step between windows. */
    strides: number;
    /** Border handling. */
    padding: ConvPadding;
  };

  constructor(
    config: Pool1DConfig,
    private readonly mode: PoolMode,
  ) {
    super(config);
    this.config = geometry(this.label, config);
  }

  protected shapeFor(inputShape: Shape): Shape {
    return pool1dOutputShape(inputShape, this.config, this.label);
  }

  protected forward(x: tf.Tensor): tf.Tensor {
    return pool1d(x, this.mode, this.config);
  }
}

/**
 * Max pooling over windows of time steps, per feature. It does not propagate masks.
 *
 * Input shape: `[batch, time, features]`.
 *
 * Output shape: `[batch, outTime, features]`, see {@link pool1dOutputShape}.
 *
 * @example
 * ```ts
 * const pool = new MaxPool1D({ poolSize: 2 });
 * const y = pool.apply(tf.zeros([4, 50, 16])); // [4, 25, 16]
 * ```
 *
 * @group Pooling
 */
export class MaxPool1D extends Pool1DLayer {
  constructor(config: Pool1DConfig = {}) {
    super(config, 'max');
  }
}

/**
 * Average pooling over windows of time steps, per feature. It does not propagate masks.
 *
 * Input shape: `[batch, time, features]`.
 *
 * Output shape: `[batch, outTime, features]`, see {@link pool1dOutputShape}.
 *
 * @example
 * ```ts
 * const pool = new AvgPool1D({ poolSize: 3, strides: 1, padding: 'same' });
 * const y = pool.apply(tf.zeros([4, 50, 16])); // [4, 50, 16]
 * ```
 *
 * @group Pooling
 */
export class AvgPool1D extends Pool1DLayer {
  constructor(config: Pool1DConfig = {}) {
    super(config, 'avg');
  }
}

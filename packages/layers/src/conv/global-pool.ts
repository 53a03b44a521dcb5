import { ShapeError, assertRank, formatShape, tf } from '@tensorloom/core';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';
import { ShapeCheckedLayer } from './internal/shape-checked-layer.js';
import type { PoolMode } from './pool2d.js';

/**
 * Configuration of the global pooling layers ({@link GlobalAvgPool1D}, {@link GlobalMaxPool1D},
 * {@link GlobalAvgPool2D}, {@link GlobalMaxPool2D}).
 *
 * @example
 * ```ts
 * const config: GlobalPoolConfig = { keepDims: true };
 * ```
 *
 * @group Pooling
 */
export interface GlobalPoolConfig extends ModuleConfig {
  /** Keep the pooled axes with size 1 (`[batch, 1, 1, channels]` in 2-D) instead of dropping them. Default `false`. */
  keepDims?: boolean;
}

/**
 * Options of the functional {@link globalPool1d} and {@link globalPool2d}.
 *
 * @example
 * ```ts
 * const options: GlobalPoolOptions = { keepDims: false, mask: validSteps };
 * ```
 *
 * @group Pooling
 */
export interface GlobalPoolOptions {
  /** Keep the pooled axes with size 1. Default `false`. */
  keepDims?: boolean;
  /**
   * 1-D only: `[batch, time]`, nonzero (or `true`) at the steps to pool; the others are left
   * out. A sequence with no valid step pools to zeros. Default `null` (every step counts).
   */
  mask?: tf.Tensor | null;
}

/**
 * The output shape of global pooling over `spatialRank` axes (1 for `[batch, time, features]`,
 * 2 for `[batch, h, w, channels]`): the spatial axes are dropped, or kept as 1 with `keepDims`.
 *
 * @param inputShape - `[batch, ...spatial, channels]`.
 * @param spatialRank - 1 or 2.
 * @param keepDims - keep the pooled axes with size 1.
 * @param unit - names the caller in error messages.
 * @returns `[batch, channels]`, or `[batch, 1, (1,) channels]` with `keepDims`.
 * @throws ShapeError when the input's rank is not `spatialRank + 2`.
 * @example
 * ```ts
 * globalPoolOutputShape([null, 7, 7, 64], 2, false); // [null, 64]
 * globalPoolOutputShape([null, 50, 16], 1, true);    // [null, 1, 16]
 * ```
 *
 * @group Pooling
 */
export function globalPoolOutputShape(inputShape: Shape, spatialRank: 1 | 2, keepDims: boolean, unit = 'globalPool'): Shape {
  assertRank(unit, 'input', inputShape as readonly number[], spatialRank + 2, spatialRank === 1 ? '[batch, time, features]' : '[batch, h, w, c]');
  const batch = inputShape[0] ?? null;
  const channels = inputShape[spatialRank + 1] ?? null;
  return keepDims ? [batch, ...new Array<number>(spatialRank).fill(1), channels] : [batch, channels];
}

/**
 * Global max or average pooling over the time axis of `[batch, time, features]`, optionally
 * over the steps a mask marks valid only (the average of valid steps, the maximum of valid
 * steps; zeros when a sequence has none).
 *
 * @param x - `[batch, time, features]`.
 * @param mode - `'max'` or `'avg'`.
 * @param options - `keepDims` and an optional `[batch, time]` mask.
 * @returns `[batch, features]`, or `[batch, 1, features]` with `keepDims`.
 * @throws ShapeError when the mask's shape is not `[batch, time]`.
 * @example
 * ```ts
 * const y = globalPool1d(embedded, 'avg', { mask: tf.notEqual(ids, 0) }); // mean over real tokens
 * ```
 *
 * @group Pooling
 */
export function globalPool1d(x: tf.Tensor, mode: PoolMode, options: GlobalPoolOptions = {}): tf.Tensor {
  const keepDims = options.keepDims ?? false;
  const mask = options.mask ?? null;
  if (mask === null) return mode === 'max' ? tf.max(x, 1, keepDims) : tf.mean(x, 1, keepDims);
  checkMask('globalPool1d', x, mask);
  return tf.tidy(() => {
    const valid = tf.expandDims(tf.notEqual(mask, 0), 2); // (B, T, 1), bool
    const count = tf.sum(tf.cast(valid, 'float32'), 1, true); // (B, 1, 1)
    let y: tf.Tensor; // (B, 1, C)
    if (mode === 'avg') {
      const sum = tf.sum(tf.where(valid, x, tf.zerosLike(x)), 1, true);
      y = tf.div(sum, tf.maximum(count, 1));
    } else {
      const max = tf.max(tf.where(valid, x, tf.fill(x.shape, -Infinity)), 1, true);
      y = tf.where(tf.greater(count, 0), max, tf.zerosLike(max));
    }
    return keepDims ? y : tf.squeeze(y, [1]);
  });
}

/**
 * Global max or average pooling over both spatial axes of NHWC images: {@link globalPool1d}
 * over the `h·w` positions.
 *
 * @param x - `[batch, h, w, channels]`.
 * @param mode - `'max'` or `'avg'`.
 * @param options - `keepDims` (a mask is not accepted).
 * @returns `[batch, channels]`, or `[batch, 1, 1, channels]` with `keepDims`.
 * @example
 * ```ts
 * const features = globalPool2d(tf.ones([2, 7, 7, 64]), 'avg'); // [2, 64]
 * ```
 *
 * @group Pooling
 */
export function globalPool2d(x: tf.Tensor, mode: PoolMode, options: Omit<GlobalPoolOptions, 'mask'> = {}): tf.Tensor {
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape as [number, number, number, number];
    const y = globalPool1d(tf.reshape(x, [b, h * w, c]) /* (B, H·W, C) */, mode); // (B, C)
    return options.keepDims ? tf.reshape(y, [b, 1, 1, c]) : y;
  });
}

/**
 * Global pooling over the spatial axes of `[batch, time, features]` (`spatialRank` 1) or
 * `[batch, h, w, channels]` (2) in one `mode`; the named layers below fix both. In 1-D an
 * input mask selects the steps that count; in 2-D it is not used.
 */
abstract class GlobalPool extends ShapeCheckedLayer {
  /** Whether the pooled axes (time, or height and width) are kept with size 1. */
  readonly keepDims: boolean;

  constructor(
    config: GlobalPoolConfig,
    private readonly mode: PoolMode,
    private readonly spatialRank: 1 | 2,
  ) {
    super(config);
    this.keepDims = config.keepDims ?? false;
  }

  protected shapeFor(inputShape: Shape): Shape {
    return globalPoolOutputShape(inputShape, this.spatialRank, this.keepDims, this.label);
  }

  protected forward(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    if (this.spatialRank === 2) return globalPool2d(x, this.mode, { keepDims: this.keepDims });
    checkMask(this.label, x, options.mask ?? null);
    return globalPool1d(x, this.mode, { keepDims: this.keepDims, mask: options.mask ?? null });
  }
}

/**
 * Global average pooling over time: the mean of each feature over the (valid) steps. With a
 * mask (e.g. from an Embedding with `maskZero`), only the steps it marks count.
 *
 * Input shape: `[batch, time, features]`, and optionally a mask `[batch, time]`.
 *
 * Output shape: `[batch, features]` (`[batch, 1, features]` with `keepDims`). The output has no mask.
 *
 * @example
 * ```ts
 * const pool = new GlobalAvgPool1D();
 * const y = pool.apply(tf.zeros([4, 50, 16])); // [4, 16]
 * ```
 *
 * @group Pooling
 */
export class GlobalAvgPool1D extends GlobalPool {
  constructor(config: GlobalPoolConfig = {}) {
    super(config, 'avg', 1);
  }
}

/**
 * Global max pooling over time: the maximum of each feature over the (valid) steps. With a
 * mask, only the steps it marks count.
 *
 * Input shape: `[batch, time, features]`, and optionally a mask `[batch, time]`.
 *
 * Output shape: `[batch, features]` (`[batch, 1, features]` with `keepDims`). The output has no mask.
 *
 * @example
 * ```ts
 * const pool = new GlobalMaxPool1D();
 * const y = pool.apply(tf.zeros([4, 50, 16])); // [4, 16]
 * ```
 *
 * @group Pooling
 */
export class GlobalMaxPool1D extends GlobalPool {
  constructor(config: GlobalPoolConfig = {}) {
    super(config, 'max', 1);
  }
}

/**
 * Global average pooling over height and width: one mean per channel, the usual head of a
 * fully convolutional classifier (Lin et al., "Network In Network", https://arxiv.org/abs/1312.4400).
 *
 * Input shape: `[batch, height, width, channels]`.
 *
 * Output shape: `[batch, channels]` (`[batch, 1, 1, channels]` with `keepDims`).
 *
 * @example
 * ```ts
 * const pool = new GlobalAvgPool2D();
 * const y = pool.apply(tf.zeros([4, 7, 7, 64])); // [4, 64]
 * ```
 *
 * @group Pooling
 */
export class GlobalAvgPool2D extends GlobalPool {
  constructor(config: GlobalPoolConfig = {}) {
    super(config, 'avg', 2);
  }
}

/**
 * Global max pooling over height and width: one maximum per channel.
 *
 * Input shape: `[batch, height, width, channels]`.
 *
 * Output shape: `[batch, channels]` (`[batch, 1, 1, channels]` with `keepDims`).
 *
 * @example
 * ```ts
 * const pool = new GlobalMaxPool2D({ keepDims: true });
 * const y = pool.apply(tf.zeros([4, 7, 7, 64])); // [4, 1, 1, 64]
 * ```
 *
 * @group Pooling
 */
export class GlobalMaxPool2D extends GlobalPool {
  constructor(config: GlobalPoolConfig = {}) {
    super(config, 'max', 2);
  }
}

/** A mask must be `[batch, time]` of the input; the message names the layer. */
function checkMask(unit: string, x: tf.Tensor, mask: tf.Tensor | null): void {
  if (mask !== null && (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1])) {
    throw new ShapeError(`${unit}: mask expected shape ${formatShape(x.shape.slice(0, 2))}, got ${formatShape(mask.shape)}`);
  }
}

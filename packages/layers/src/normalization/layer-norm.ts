import { ConfigError, ShapeError, assert, formatShape, tf } from '@tensorloom/core';
import type { InitializerLike } from '../initializers/initializers.js';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';
import type { Constraint, Regularizer } from '../regularizers/regularizers.js';
import { canFuseLayerNorm, layerNormFused } from './layer-norm-fused.js';

/**
 * Configuration of {@link LayerNorm}.
 *
 * @example
 * ```ts
 * const config: LayerNormConfig = { axis: -1, epsilon: 1e-5 };
 * ```
 *
 * @group Normalization
 */
export interface LayerNormConfig extends ModuleConfig {
  /**
   * The axis or axes normalized over, negative counting from the end; never the batch
   * axis 0. Default `-1` (the features).
   */
  axis?: number | readonly number[];
  /** Added to the variance before the square root. Default `1e-3`, as tfjs-layers and Keras (PyTorch uses `1e-5`). */
  epsilon?: number;
  /** Whether to add the learned offset `beta`. Default `true`. */
  center?: boolean;
  /** Whether to multiply by the learned scale `gamma`. Default `true`. */
  scale?: boolean;
  /** Initializer of `gamma`. Default `'ones'`. */
  gammaInitializer?: InitializerLike;
  /** Initializer of `beta`. Default `'zeros'`. */
  betaInitializer?: InitializerLike;
  /** Penalty on `gamma`. Default none. */
  gammaRegularizer?: Regularizer | null;
  /** Penalty on `beta`. Default none. */
  betaRegularizer?: Regularizer | null;
  /** Projection of `gamma` after each step. Default none. */
  gammaConstraint?: Constraint | null;
  /** Projection of `beta` after each step. Default none. */
  betaConstraint?: Constraint | null;
}

/**
 * The output shape of {@link LayerNorm}: the input's.
 *
 * @example
 * ```ts
 * layerNormOutputShape([null, 5, 8]); // [null, 5, 8]
 * ```
 *
 * @group Normalization
 */
export function layerNormOutputShape(inputShape: Shape): Shape {
  return inputShape;
}

/**
 * Resolves the normalized axes of {@link LayerNorm} for an input of `rank`: negative axes
 * count from the end; the result is sorted and has no duplicates.
 *
 * @param unit - names the caller in errors, e.g. `"LayerNorm 'ln'"`.
 * @throws ShapeError when an axis is outside `[1, rank)` or repeats.
 * @example
 * ```ts
 * resolveLayerNormAxes('LayerNorm', [-1, -2], 4); // [2, 3]
 * ```
 *
 * @group Normalization
 */
export function resolveLayerNormAxes(unit: string, axis: number | readonly number[], rank: number): number[] {
  const given = typeof axis === 'number' ? [axis] : [...axis];
  const resolved = given.map((a) => (a < 0 ? a + rank : a));
  resolved.forEach((a, i) => {
    if (a < 1 || a >= rank) {
      throw new ShapeError(
        `${unit}: axis expected an axis in [1, ${rank - 1}] or [${1 - rank}, -1] of a rank-${rank} input, got ${given[i]}`,
        { help: 'layer normalization works within a sample, never over the batch axis 0' },
      );
    }
  });
  if (new Set(resolved).size !== resolved.length) {
    throw new ShapeError(`${unit}: axis expected distinct axes, got [${given.join(', ')}] for a rank-${rank} input`);
  }
  return resolved.sort((a, b) => a - b);
}

/**
 * Layer normalization: `(x - mean) / sqrt(variance + epsilon) · gamma + beta`, with the mean
 * and (biased) variance taken over `axes` of each sample.
 *
 * Computed from `tf.moments` rather than `tf.batchNorm`: batchNorm without offset and scale
 * has no working gradient in tfjs-core 4.22, and this form differentiates through mean and
 * variance with plain ops. Over the last axis alone, on a backend with core's fused layer
 * norm kernels (`'native'`), it is one `FusedLayerNorm` call with a one-call gradient instead.
 *
 * @param x - any rank ≥ 2.
 * @param gamma - the scale, shaped as `x`'s sizes along `axes`, or `null`.
 * @param beta - the offset, shaped as `gamma`, or `null`.
 * @param axes - non-negative, sorted axes of `x` (see {@link resolveLayerNormAxes}).
 * @param epsilon - added to the variance.
 * @returns a tensor of `x`'s shape.
 * @example
 * ```ts
 * const y = layerNorm(x, gamma, beta, [2], 1e-5); // x: [batch, time, features]
 * ```
 *
 * @group Normalization
 */
export function layerNorm(
  x: tf.Tensor,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  axes: readonly number[],
  epsilon: number,
): tf.Tensor {
  // One fused kernel call forward and one backward when the backend has them (e.g. 'native').
  if (canFuseLayerNorm(x, axes)) return layerNormFused(x, gamma, beta, epsilon);
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [...axes], true); // keepDims: broadcast against x
    let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon)));
    // Parameters are shaped by the normalized axes alone; give them x's rank to broadcast
    // (unneeded, and skipped, when the axes are the trailing ones).
    const trailing = axes.every((a, i) => a === x.rank - axes.length + i);
    const broadcastShape = x.shape.map((d, i) => (axes.includes(i) ? d : 1));
    const expand = (p: tf.Tensor): tf.Tensor => (trailing ? p : tf.reshape(p, broadcastShape));
    if (gamma !== null) y = tf.mul(y, expand(gamma));
    if (beta !== null) y = tf.add(y, expand(beta));
    return y;
  });
}

/**
 * Layer normalization (Ba, Kiros & Hinton 2016, https://arxiv.org/abs/1607.06450):
 * normalizes each sample over `axis` (default the features) to zero mean and unit variance,
 * then scales by `gamma` and shifts by `beta`. Statistics never mix samples, so training
 * and inference compute the same thing.
 *
 * Input shape: `[batch, ...]` (rank ≥ 2); the rank and the sizes along `axis` are fixed at
 * build. Output shape: the input's.
 *
 * Parameters: `gamma` and `beta`, shaped as the input's sizes along the (sorted) `axis`
 * (`[features]` by default); either is `null` with `scale: false` / `center: false`.
 * Matches tfjs-layers' `layerNormalization` with the same weights.
 *
 * @example
 * ```ts
 * const norm = new LayerNorm({ epsilon: 1e-5, name: 'norm1' }).build([null, 10, 64], rng(1));
 * const y = norm.apply(x); // x: [batch, 10, 64]
 * ```
 *
 * @group Normalization
 */
export class LayerNorm extends Module {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<LayerNormConfig, 'name'>>;
  /** The normalized axes resolved against the built rank (sorted, non-negative), after build. */
  axes: readonly number[] = [];
  /** The scale, or `null` with `scale: false` or before build. */
  gamma: tf.Variable | null = null;
  /** The offset, or `null` with `center: false` or before build. */
  beta: tf.Variable | null = null;
  private builtSizes: readonly number[] = [];

  constructor(config: LayerNormConfig = {}) {
    super(config);
    const axis = config.axis ?? -1;
    const list = typeof axis === 'number' ? [axis] : axis;
    if (list.length === 0 || !list.every((a) => Number.isInteger(a))) {
      throw new ConfigError(`LayerNorm '${this.name}': axis expected an integer or a non-empty list of integers, got ${JSON.stringify(axis)}`);
    }
    const epsilon = config.epsilon ?? 1e-3;
    if (!(epsilon > 0) || !Number.isFinite(epsilon)) {
      throw new ConfigError(`LayerNorm '${this.name}': epsilon expected a positive number, got ${epsilon}`);
    }
    this.config = {
      axis,
      epsilon,
      center: config.center ?? true,
      scale: config.scale ?? true,
      gammaInitializer: config.gammaInitializer ?? 'ones',
      betaInitializer: config.betaInitializer ?? 'zeros',
      gammaRegularizer: config.gammaRegularizer ?? null,
      betaRegularizer: config.betaRegularizer ?? null,
      gammaConstraint: config.gammaConstraint ?? null,
      betaConstraint: config.betaConstraint ?? null,
    };
  }

  protected override onBuild(inputShape: Shape): void {
    const c = this.config;
    assert(
      inputShape.length >= 2,
      () => new ShapeError(`${this.label}: input expected rank >= 2 [batch, ..., features], got ${formatShape(inputShape)}`),
    );
    const axes = resolveLayerNormAxes(this.label, c.axis, inputShape.length);
    const paramShape = axes.map((a) => inputShape[a]);
    assert(
      paramShape.every((d) => typeof d === 'number'),
      () => new ShapeError(`${this.label}: input expected known sizes along axes [${axes.join(', ')}], got ${formatShape(inputShape)}`),
    );
    const shape = paramShape as number[];
    this.axes = axes;
    this.builtSizes = inputShape.map((d) => d ?? -1); // -1: any size
    this.gamma = c.scale
      ? this.addParameter('gamma', shape, c.gammaInitializer, { regularizer: c.gammaRegularizer, constraint: c.gammaConstraint })
      : null;
    this.beta = c.center
      ? this.addParameter('beta', shape, c.betaInitializer, { regularizer: c.betaRegularizer, constraint: c.betaConstraint })
      : null;
  }

  override outputShape(inputShape: Shape): Shape {
    return layerNormOutputShape(inputShape);
  }

  protected call(x: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    const built = this.builtSizes;
    if (x.rank !== built.length) {
      throw new ShapeError(`${this.label}: input expected rank ${built.length}, got shape ${formatShape(x.shape)}`);
    }
    for (const a of this.axes) {
      if (x.shape[a] !== built[a]) {
        throw new ShapeError(`${this.label}: input axis ${a} expected ${built[a]}, got shape ${formatShape(x.shape)}`);
      }
    }
    return layerNorm(x, this.gamma, this.beta, this.axes, this.config.epsilon);
  }
}

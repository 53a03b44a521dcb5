import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import type { InitializerLike } from '../initializers/initializers.js';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';
import type { Constraint, Regularizer } from '../regularizers/regularizers.js';

/**
 * Configuration of {@link BatchNorm}.
 *
 * @example
 * ```ts
 * const config: BatchNormConfig = { momentum: 0.9, epsilon: 1e-5 };
 * ```
 *
 * @group Normalization
 */
export interface BatchNormConfig extends ModuleConfig {
  /** The feature (channel) axis; negative counts from the end. Default -1 (NHWC). */
  axis?: number;
  /** Weight of the old value in the running averages: `new = momentum·old + (1−momentum)·batch`. Default 0.99. */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-3. */
  epsilon?: number;
  /** Learn an offset `beta`. Default `true`. */
  center?: boolean;
  /** Learn a scale `gamma`. Default `true`. */
  scale?: boolean;
  /** `beta` initializer. Default `'zeros'`. */
  betaInitializer?: InitializerLike;
  /** `gamma` initializer. Default `'ones'`. */
  gammaInitializer?: InitializerLike;
  /** `movingMean` initial value initializer. Default `'zeros'`. */
  movingMeanInitializer?: InitializerLike;
  /** `movingVariance` initial value initializer. Default `'ones'`. */
  movingVarianceInitializer?: InitializerLike;
  /** `beta` penalty. Default none. */
  betaRegularizer?: Regularizer | null;
  /** `gamma` penalty. Default none. */
  gammaRegularizer?: Regularizer | null;
  /** `beta` projection. Default none. */
  betaConstraint?: Constraint | null;
  /** `gamma` projection. Default none. */
  gammaConstraint?: Constraint | null;
}

/**
 * Normalises `x` with the given statistics, broadcast along the feature axis:
 * `(x − mean) / √(variance + ε) · gamma + beta`.
 *
 * Written with elementwise ops rather than `tf.batchNorm`, whose gradient fails in
 * tfjs-core 4.22 when offset or scale is absent.
 *
 * @param x - the input.
 * @param mean - `[features]` (or broadcastable).
 * @param variance - `[features]` (or broadcastable).
 * @param gamma - `[features]` or `null` (no scale).
 * @param beta - `[features]` or `null` (no offset).
 * @param epsilon - variance floor.
 * @param shape - the shape the `[features]` vectors are reshaped to for broadcasting.
 * @returns a tensor of `x`'s shape.
 * @example
 * ```ts
 * const y = normalize(x, mean, variance, gamma, beta, 1e-3, [1, 1, 1, 8]);
 * ```
 *
 * @group Normalization
 */
export function normalize(
  x: tf.Tensor,
  mean: tf.Tensor,
  variance: tf.Tensor,
  gamma: tf.Tensor | null,
  beta: tf.Tensor | null,
  epsilon: number,
  shape: readonly number[],
): tf.Tensor {
  return tf.tidy(() => {
    const b = (t: tf.Tensor): tf.Tensor => tf.reshape(t, [...shape]);
    let inv = tf.rsqrt(tf.add(b(variance), epsilon));
    if (gamma !== null) inv = tf.mul(inv, b(gamma));
    const y = tf.mul(tf.sub(x, b(mean)), inv);
    return beta === null ? y : tf.add(y, b(beta));
  });
}

function resolveAxis(unit: string, axis: number, rank: number): number {
  const a = axis < 0 ? rank + axis : axis;
  if (a < 1 || a >= rank) {
    throw new ShapeError(`${unit}: axis ${axis} expected a non-batch axis of a rank ${rank} input`);
  }
  return a;
}

/**
 * Batch normalisation (Ioffe & Szegedy 2015, https://arxiv.org/abs/1502.03167).
 *
 * Training: normalises with the batch's mean and (biased) variance over every axis but the
 * feature axis, and updates the running averages `movingMean` and `movingVariance`
 * (non-trainable state, in {@link Module.state} and checkpoints). Inference: normalises with
 * the running averages. Matches tfjs-layers' `batchNormalization` and Keras. A frozen
 * batch norm ({@link Module.isFrozen}: `gamma` and `beta` not trainable) runs in inference
 * mode even when training, and leaves its running averages alone, as Keras does.
 *
 * Input shape: `[batch, ..., features]` (any rank ≥ 2). Output shape: the input's.
 *
 * Parameters: `gamma`, `beta` `[features]`; state: `movingMean`, `movingVariance` `[features]`.
 *
 * @example
 * ```ts
 * const bn = new BatchNorm({ momentum: 0.9 }).build([null, 28, 28, 16], rng(1));
 * const y = bn.apply(x, { training: true }); // updates the running statistics
 * ```
 *
 * @group Normalization
 */
export class BatchNorm extends Module {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<BatchNormConfig, 'name'>>;
  /** `[features]`, or `null` with `scale: false`. */
  gamma: tf.Variable | null = null;
  /** `[features]`, or `null` with `center: false`. */
  beta: tf.Variable | null = null;
  /** Running mean `[features]`. */
  movingMean: tf.Variable | null = null;
  /** Running (biased) variance `[features]`. */
  movingVariance: tf.Variable | null = null;

  constructor(config: BatchNormConfig = {}) {
    super(config);
    const momentum = config.momentum ?? 0.99;
    const epsilon = config.epsilon ?? 1e-3;
    if (!(momentum >= 0 && momentum <= 1)) throw new ConfigError(`BatchNorm '${this.name}': momentum expected a number in [0, 1], got ${momentum}`);
    if (!(epsilon > 0)) throw new ConfigError(`BatchNorm '${this.name}': epsilon expected > 0, got ${epsilon}`);
    this.config = {
      axis: config.axis ?? -1,
      momentum,
      epsilon,
      center: config.center ?? true,
      scale: config.scale ?? true,
      betaInitializer: config.betaInitializer ?? 'zeros',
      gammaInitializer: config.gammaInitializer ?? 'ones',
      movingMeanInitializer: config.movingMeanInitializer ?? 'zeros',
      movingVarianceInitializer: config.movingVarianceInitializer ?? 'ones',
      betaRegularizer: config.betaRegularizer ?? null,
      gammaRegularizer: config.gammaRegularizer ?? null,
      betaConstraint: config.betaConstraint ?? null,
      gammaConstraint: config.gammaConstraint ?? null,
    };
  }

  protected override onBuild(inputShape: Shape): void {
    const axis = resolveAxis(this.label, this.config.axis, inputShape.length);
    const features = inputShape[axis];
    if (typeof features !== 'number') {
      throw new ShapeError(`${this.label}: input axis ${this.config.axis} expected a known size, got ${formatShape(inputShape)}`);
    }
    const c = this.config;
    this.gamma = c.scale ? this.addParameter('gamma', [features], c.gammaInitializer, { regularizer: c.gammaRegularizer, constraint: c.gammaConstraint }) : null;
    this.beta = c.center ? this.addParameter('beta', [features], c.betaInitializer, { regularizer: c.betaRegularizer, constraint: c.betaConstraint }) : null;
    this.movingMean = this.addState('movingMean', [features], c.movingMeanInitializer);
    this.movingVariance = this.addState('movingVariance', [features], c.movingVarianceInitializer);
  }

  override outputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    const axis = resolveAxis(this.label, this.config.axis, x.rank);
    const features = this.movingMean!.shape[0]!;
    if (x.shape[axis] !== features) {
      throw new ShapeError(`${this.label}: input axis ${this.config.axis} expected ${features}, got shape ${formatShape(x.shape)}`);
    }
    const shape = x.shape.map((d, i) => (i === axis ? d : 1));
    // Frozen (all parameters non-trainable): inference mode, as Keras does for fine-tuning.
    if (!options.training || this.isFrozen) {
      return normalize(x, this.movingMean!, this.movingVariance!, this.gamma, this.beta, this.config.epsilon, shape);
    }
    const reduce = x.shape.map((_, i) => i).filter((i) => i !== axis);
    return tf.tidy(() => {
      const { mean, variance } = tf.moments(x, reduce); // (features)
      const m = this.config.momentum;
      // The running averages are state: assigning them is not part of the differentiated output.
      const update = (v: tf.Variable, batch: tf.Tensor): void => {
        v.assign(tf.add(tf.mul(v, m), tf.mul(batch, 1 - m)));
      };
      update(this.movingMean!, mean);
      update(this.movingVariance!, variance);
      return normalize(x, mean, variance, this.gamma, this.beta, this.config.epsilon, shape);
    });
  }
}

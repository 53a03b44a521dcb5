import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import type { InitializerLike } from '../initializers/initializers.js';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';

/**
 * Configuration of {@link GroupNorm}.
 *
 * @example
 * ```ts
 * const config: GroupNormConfig = { groups: 8 };
 * ```
 *
 * @group Normalization
 */
export interface GroupNormConfig extends ModuleConfig {
  /** Number of channel groups; must divide the channel count. Default 32 (Wu & He). */
  groups?: number;
  /** Added to the variance before the square root. Default 1e-3 (as Keras). */
  epsilon?: number;
  /** Learn a per-channel offset `beta`. Default `true`. */
  center?: boolean;
  /** Learn a per-channel scale `gamma`. Default `true`. */
  scale?: boolean;
  /** `beta` initializer. Default `'zeros'`. */
  betaInitializer?: InitializerLike;
  /** `gamma` initializer. Default `'ones'`. */
  gammaInitializer?: InitializerLike;
}

/**
 * {@link GroupNormConfig} with defaults applied; `groups` is `null` for one group per channel.
 *
 * @example
 * ```ts
 * new GroupNorm({ groups: 4 }).config.epsilon; // 1e-3
 * ```
 *
 * @group Normalization
 */
export type ResolvedGroupNormConfig = Required<Omit<GroupNormConfig, 'name' | 'groups'>> & {
  /** Channel groups, or `null` for one group per channel (InstanceNorm). */
  groups: number | null;
};

/**
 * Group normalisation of channels-last `x`: per example, the channels are split into
 * `groups` groups and each group is normalised with the mean and (biased) variance over its
 * channels and every spatial/time axis; then a per-channel `gamma`, `beta` is applied.
 *
 * @param x - `[batch, ..., channels]`, rank ≥ 2.
 * @param groups - must divide `channels`.
 * @param gamma - `[channels]` or `null`.
 * @param beta - `[channels]` or `null`.
 * @returns a tensor of `x`'s shape.
 * @example
 * ```ts
 * const y = groupNorm(x, 4, gamma, beta, 1e-3);
 * ```
 *
 * @group Normalization
 */
export function groupNorm(x: tf.Tensor, groups: number, gamma: tf.Tensor | null, beta: tf.Tensor | null, epsilon: number): tf.Tensor {
  return tf.tidy(() => {
    const channels = x.shape[x.rank - 1]!;
    const spatial = x.shape.slice(1, -1);
    const grouped = tf.reshape(x, [x.shape[0]!, ...spatial, groups, channels / groups]); // (B, ..., G, C/G)
    const axes = [...spatial.map((_, i) => i + 1), x.rank]; // spatial axes and the within-group axis
    const { mean, variance } = tf.moments(grouped, axes, true); // (B, 1.., G, 1)
    const normed = tf.reshape(tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, epsilon))), x.shape); // (B, ..., C)
    const scaled = gamma === null ? normed : tf.mul(normed, gamma);
    return beta === null ? scaled : tf.add(scaled, beta);
  });
}

/**
 * Group normalisation (Wu & He 2018, https://arxiv.org/abs/1803.08494): batch-independent
 * normalisation over groups of channels, the same at training and inference.
 * tfjs-layers has no equivalent.
 *
 * Input shape: `[batch, ..., channels]` (rank ≥ 2; channels divisible by `groups`).
 * Output shape: the input's.
 *
 * Parameters: `gamma`, `beta` `[channels]`.
 *
 * @example
 * ```ts
 * const gn = new GroupNorm({ groups: 4 }).build([null, 16, 16, 32], rng(1));
 * const y = gn.apply(x);
 * ```
 *
 * @group Normalization
 */
export class GroupNorm extends Module {
  /** The configuration with defaults applied. */
  readonly config: ResolvedGroupNormConfig;
  /** `[channels]`, or `null` with `scale: false`. */
  gamma: tf.Variable | null = null;
  /** `[channels]`, or `null` with `center: false`. */
  beta: tf.Variable | null = null;
  private groups = 0;

  /** @param config - the configuration; `groups: null` is used by {@link InstanceNorm} (one group per channel). */
  constructor(config: Omit<GroupNormConfig, 'groups'> & { groups?: number | null } = {}) {
    super(config);
    const groups = config.groups === undefined ? 32 : config.groups;
    if (groups !== null && (!Number.isInteger(groups) || groups < 1)) {
      throw new ConfigError(`${this.className} '${this.name}': groups expected a positive integer, got ${groups}`);
    }
    const epsilon = config.epsilon ?? 1e-3;
    if (!(epsilon > 0)) throw new ConfigError(`${this.className} '${this.name}': epsilon expected > 0, got ${epsilon}`);
    this.config = {
      groups,
      epsilon,
      center: config.center ?? true,
      scale: config.scale ?? true,
      betaInitializer: config.betaInitializer ?? 'zeros',
      gammaInitializer: config.gammaInitializer ?? 'ones',
    };
  }

  protected override onBuild(inputShape: Shape): void {
    const channels = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || typeof channels !== 'number') {
      throw new ShapeError(`${this.label}: input expected rank >= 2 [batch, ..., channels] with known channels, got ${formatShape(inputShape)}`);
    }
    const groups = this.config.groups ?? channels;
    if (channels % groups !== 0) {
      throw new ShapeError(`${this.label}: channels expected a multiple of groups (${groups}), got ${channels} in ${formatShape(inputShape)}`);
    }
    this.groups = groups;
    this.gamma = this.config.scale ? this.addParameter('gamma', [channels], this.config.gammaInitializer) : null;
    this.beta = this.config.center ? this.addParameter('beta', [channels], this.config.betaInitializer) : null;
  }

  override outputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  protected call(x: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    const built = this.builtInputShape as Shape;
    this.checkInputMatchesBuild('input', built, x.shape);
    return groupNorm(x, this.groups, this.gamma, this.beta, this.config.epsilon);
  }
}

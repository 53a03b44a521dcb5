import { ConfigError, tf } from '@tensorloom/core';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';
import { checkRate } from './dropout.js';

/** A layer that is the identity at inference and perturbs its input in training. */
abstract class TrainingNoise extends Module {
  protected override onBuild(): void {}

  override outputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return options.training && this.active() ? tf.tidy(() => this.perturb(x)) : tf.clone(x);
  }

  /** Whether the configuration perturbs at all (rate or stddev above zero). */
  protected abstract active(): boolean;
  /** The training-time perturbation of `x`; runs inside a tidy scope. */
  protected abstract perturb(x: tf.Tensor): tf.Tensor;
}

/**
 * Configuration of {@link GaussianNoise}.
 *
 * @example
 * ```ts
 * const config: GaussianNoiseConfig = { stddev: 0.1 };
 * ```
 *
 * @group Regularization
 */
export interface GaussianNoiseConfig extends ModuleConfig {
  /** Standard deviation of the additive noise, ≥ 0. Required. */
  stddev: number;
}

/**
 * Adds zero-mean Gaussian noise in training: `x + N(0, stddev²)`.
 *
 * Input shape: any. Output shape: the input's.
 *
 * @example
 * ```ts
 * const y = new GaussianNoise({ stddev: 0.1 }).apply(x, { training: true });
 * ```
 *
 * @group Regularization
 */
export class GaussianNoise extends TrainingNoise {
  /** The noise's standard deviation. */
  readonly stddev: number;

  constructor(config: GaussianNoiseConfig) {
    super(config);
    if (!(config.stddev >= 0)) throw new ConfigError(`GaussianNoise '${this.name}': stddev expected a number >= 0, got ${config.stddev}`);
    this.stddev = config.stddev;
  }

  protected active(): boolean {
    return this.stddev > 0;
  }

  protected perturb(x: tf.Tensor): tf.Tensor {
    return tf.add(x, this.nextRng().normalTensor(x.shape, 0, this.stddev));
  }
}

/**
 * Configuration of {@link GaussianDropout} and {@link AlphaDropout}.
 *
 * @example
 * ```ts
 * const config: NoiseDropoutConfig = { rate: 0.1 };
 * ```
 *
 * @group Regularization
 */
export interface NoiseDropoutConfig extends ModuleConfig {
  /** The drop probability it emulates, in [0, 1). Required. */
  rate: number;
}

/** A training noise set by a drop probability: the body of GaussianDropout and AlphaDropout. */
abstract class NoiseDropout extends TrainingNoise {
  /** The drop probability, in [0, 1) (GaussianDropout emulates it with Gaussian noise). */
  readonly rate: number;

  constructor(config: NoiseDropoutConfig) {
    super(config);
    checkRate(this.label, config.rate);
    this.rate = config.rate;
  }

  protected active(): boolean {
    return this.rate > 0;
  }
}

/**
 * Multiplicative Gaussian noise in training: `x · N(1, rate / (1 − rate))`, the continuous
 * counterpart of dropout with the same mean and variance (Srivastava et al. 2014, §10).
 *
 * Input shape: any. Output shape: the input's.
 *
 * @example
 * ```ts
 * const y = new GaussianDropout({ rate: 0.2 }).apply(x, { training: true });
 * ```
 *
 * @group Regularization
 */
export class GaussianDropout extends NoiseDropout {
  protected perturb(x: tf.Tensor): tf.Tensor {
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return tf.mul(x, this.nextRng().normalTensor(x.shape, 1, stddev));
  }
}

/** SELU's negative saturation value, −λα (Klambauer et al. 2017). */
const ALPHA_PRIME = -1.7580993408473766;

/**
 * Dropout for self-normalising networks (Klambauer et al. 2017,
 * https://arxiv.org/abs/1706.02515): dropped units are set to SELU's saturation value
 * α' = −λα, then an affine map `a·x + b` restores zero mean and unit variance, with
 * `a = ((1 − p)(1 + p·α'²))^(−½)` and `b = −a·α'·p`. Use it with `selu` and
 * `lecunNormal`.
 *
 * Input shape: any. Output shape: the input's.
 *
 * @example
 * ```ts
 * const y = new AlphaDropout({ rate: 0.1 }).apply(x, { training: true });
 * ```
 *
 * @group Regularization
 */
export class AlphaDropout extends NoiseDropout {
  protected perturb(x: tf.Tensor): tf.Tensor {
    const p = this.rate;
    const a = ((1 - p) * (1 + p * ALPHA_PRIME ** 2)) ** -0.5;
    const b = -a * ALPHA_PRIME * p;
    const keep = this.nextRng().bernoulliTensor(x.shape, 1 - p);
    // a·(x·keep + α'·(1 − keep)) + b
    return tf.add(tf.mul(a, tf.add(tf.mul(x, keep), tf.mul(ALPHA_PRIME, tf.sub(1, keep)))), b);
  }
}

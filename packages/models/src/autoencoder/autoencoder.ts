import { ConfigError, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { Module } from '@tensorloom/layers';
import type { ApplyOptions, ModuleConfig, Sequential, Shape } from '@tensorloom/layers';
import { positive, rate } from '../transfer/internal/validate.js';

/**
 * Input corruption of a denoising autoencoder (Vincent et al. 2008), applied only in
 * training mode: `'gaussian'` adds `stddev·N(0, 1)` noise; `'masking'` sets each input
 * value to zero with probability `rate` (no rescaling, as in the paper).
 *
 * @example
 * ```ts
 * const corruption: Corruption = { type: 'masking', rate: 0.3 };
 * ```
 */
export type Corruption = GaussianCorruption | MaskingCorruption;

/**
 * Additive Gaussian noise, a {@link Corruption}.
 *
 * @example
 * ```ts
 * const c: GaussianCorruption = { type: 'gaussian', stddev: 0.2 };
 * ```
 */
export interface GaussianCorruption {
  /** The kind. */
  type: 'gaussian';
  /** Standard deviation of the noise, > 0. */
  stddev: number;
}

/**
 * Masking noise (each value zeroed with probability `rate`), a {@link Corruption}.
 *
 * @example
 * ```ts
 * const c: MaskingCorruption = { type: 'masking', rate: 0.25 };
 * ```
 */
export interface MaskingCorruption {
  /** The kind. */
  type: 'masking';
  /** Probability of zeroing a value, in [0, 1). */
  rate: number;
}

/**
 * The activity penalty of a sparse autoencoder on its code `h` `[batch, latent]`,
 * exposed as an auxiliary loss:
 * - `'l1'`: `weight · mean_batch Σ_j |h_j|`;
 * - `'kl'`: `weight · Σ_j KL(ρ ‖ ρ̂_j)` with `ρ̂_j` the batch mean of `h_j`
 *   (Ng, "Sparse autoencoder", CS294A notes 2011); needs a sigmoid code.
 *
 * @example
 * ```ts
 * const sparsity: Sparsity = { type: 'kl', target: 0.05, weight: 0.1 };
 * ```
 */
export type Sparsity = L1Sparsity | KlSparsity;

/**
 * An L1 activity penalty, a {@link Sparsity}.
 *
 * @example
 * ```ts
 * const s: L1Sparsity = { type: 'l1', weight: 1e-3 };
 * ```
 */
export interface L1Sparsity {
  /** The kind. */
  type: 'l1';
  /** Multiplies the penalty, > 0. */
  weight: number;
}

/**
 * A KL activity penalty towards a target mean activation, a {@link Sparsity}.
 *
 * @example
 * ```ts
 * const s: KlSparsity = { type: 'kl', target: 0.05, weight: 0.1 };
 * ```
 */
export interface KlSparsity {
  /** The kind. */
  type: 'kl';
  /** The target mean activation ρ, in (0, 1). */
  target: number;
  /** Multiplies the penalty, > 0. */
  weight: number;
}

/**
 * What {@link Autoencoder.run} returns.
 *
 * @example
 * ```ts
 * const { reconstruction, code, auxiliaryLoss } = ae.run(x, { training: true });
 * ```
 */
export interface AutoencoderOutput {
  /** The decoder's output, shaped like the input. */
  reconstruction: tf.Tensor;
  /** The encoder's output. */
  code: tf.Tensor;
  /** The sparsity penalty (a scalar; zero without `sparsity`): add it to the reconstruction loss. */
  auxiliaryLoss: tf.Scalar;
}

/** Checks a {@link Corruption}; returns it or `null`. */
export function checkCorruption(unit: string, c: Corruption | null | undefined): Corruption | null {
  if (c === null || c === undefined) return null;
  if (c.type === 'gaussian') return { type: 'gaussian', stddev: positive(unit, 'corruption.stddev', c.stddev) };
  if (c.type === 'masking') return { type: 'masking', rate: rate(unit, 'corruption.rate', c.rate) };
  throw new ConfigError(`${unit}: corruption.type expected 'gaussian' or 'masking', got '${String((c as { type: unknown }).type)}'`);
}

/** Checks a {@link Sparsity}; returns it or `null`. */
export function checkSparsity(unit: string, s: Sparsity | null | undefined): Sparsity | null {
  if (s === null || s === undefined) return null;
  if (s.type === 'l1') return { type: 'l1', weight: positive(unit, 'sparsity.weight', s.weight) };
  if (s.type === 'kl') {
    if (!(s.target > 0 && s.target < 1)) throw new ConfigError(`${unit}: sparsity.target expected a number in (0, 1), got ${s.target}`);
    return { type: 'kl', target: s.target, weight: positive(unit, 'sparsity.weight', s.weight) };
  }
  throw new ConfigError(`${unit}: sparsity.type expected 'l1' or 'kl', got '${String((s as { type: unknown }).type)}'`);
}

/**
 * Corrupts `x` (see {@link Corruption}); `x` is not disposed.
 *
 * @param x - any shape.
 * @param corruption - the noise.
 * @param rng - where the noise comes from.
 * @returns a tensor of `x`'s shape.
 * @example
 * ```ts
 * const noisy = corrupt(x, { type: 'gaussian', stddev: 0.2 }, rng(1));
 * ```
 */
export function corrupt(x: tf.Tensor, corruption: Corruption, rng: Rng): tf.Tensor {
  return tf.tidy(() => {
    if (corruption.type === 'gaussian') return tf.add(x, rng.normalTensor(x.shape, 0, corruption.stddev));
    return tf.mul(x, rng.bernoulliTensor(x.shape, 1 - corruption.rate));
  });
}

/**
 * The sparsity penalty of a code `[batch, ...]` (see {@link Sparsity}), a scalar.
 *
 * @param code - the encoder's output; for `'kl'` values in (0, 1).
 * @param sparsity - the penalty.
 * @returns the weighted penalty.
 * @example
 * ```ts
 * const penalty = sparsityPenalty(code, { type: 'l1', weight: 1e-3 });
 * ```
 */
export function sparsityPenalty(code: tf.Tensor, sparsity: Sparsity): tf.Scalar {
  return tf.tidy(() => {
    const h = code.reshape([code.shape[0]!, -1]); // (B, units)
    if (sparsity.type === 'l1') return tf.mul(tf.mean(tf.sum(tf.abs(h), 1)), sparsity.weight) as tf.Scalar;
    const rho = sparsity.target;
    const rhoHat = tf.clipByValue(tf.mean(h, 0), 1e-7, 1 - 1e-7); // (units)
    const kl = tf.add(
      tf.mul(rho, tf.log(tf.div(rho, rhoHat))),
      tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, rhoHat)))),
    );
    return tf.mul(tf.sum(kl), sparsity.weight) as tf.Scalar;
  });
}

/**
 * An autoencoder: an `encoder` and a `decoder` (children under those keys), optional input
 * corruption (denoising, training only) and an optional sparsity penalty on the code.
 * `apply(x)` returns the reconstruction; {@link Autoencoder.run} also returns the code and
 * the auxiliary loss; {@link Autoencoder.encode} and {@link Autoencoder.decode} work on
 * their own. The base of {@link DenseAutoencoder} and {@link ConvAutoencoder}.
 *
 * @example
 * ```ts
 * const ae = new DenseAutoencoder({ inputDim: 784, latentDim: 32 }).build([null, 784], rng(1));
 * const { reconstruction, auxiliaryLoss } = ae.run(x, { training: true });
 * ```
 */
export abstract class Autoencoder extends Module {
  /** The encoder: input → code. */
  readonly encoder: Sequential;
  /** The decoder: code → reconstruction. */
  readonly decoder: Sequential;
  /** The training-time corruption, or `null`. */
  readonly corruption: Corruption | null;
  /** The activity penalty on the code, or `null`. */
  readonly sparsity: Sparsity | null;

  constructor(encoder: Sequential, decoder: Sequential, corruption: Corruption | null, sparsity: Sparsity | null, config: ModuleConfig) {
    super(config);
    this.encoder = this.addModule('encoder', encoder);
    this.decoder = this.addModule('decoder', decoder);
    this.corruption = corruption;
    this.sparsity = sparsity;
  }

  protected override onBuild(inputShape: Shape): void {
    this.encoder.build(inputShape);
    this.decoder.build(this.encoder.outputShape(inputShape));
  }

  override outputShape(inputShape: Shape): Shape {
    return this.decoder.outputShape(this.encoder.outputShape(inputShape));
  }

  /**
   * The code of `x` (no corruption).
   *
   * @param x - the input.
   * @param options - training mode.
   * @returns the code, owned by the caller.
   * @example
   * ```ts
   * const z = ae.encode(x);
   * ```
   */
  encode(x: tf.Tensor, options: ApplyOptions = {}): tf.Tensor {
    if (!this.built) this.build(x.shape);
    return this.encoder.apply(x, options);
  }

  /**
   * The reconstruction of a code.
   *
   * @param code - shaped like {@link Autoencoder.encode}'s output.
   * @param options - training mode.
   * @returns the reconstruction, owned by the caller.
   * @example
   * ```ts
   * const xHat = ae.decode(z);
   * ```
   */
  decode(code: tf.Tensor, options: ApplyOptions = {}): tf.Tensor {
    if (!this.built) throw new ConfigError(`${this.label}: decode needs a built model`, { help: 'call build(inputShape) first' });
    return this.decoder.apply(code, options);
  }

  /**
   * Corrupts (training mode, with `corruption`), encodes and decodes `x`.
   *
   * @param x - the clean input; compare the reconstruction with it.
   * @param options - training mode; `rng` for the corruption (default: this module's call stream).
   * @returns reconstruction, code and the auxiliary (sparsity) loss, owned by the caller.
   * @example
   * ```ts
   * const out = ae.run(x, { training: true });
   * const loss = tf.add(tf.losses.meanSquaredError(x, out.reconstruction), out.auxiliaryLoss);
   * ```
   */
  run(x: tf.Tensor, options: ApplyOptions & { rng?: Rng } = {}): AutoencoderOutput {
    if (!this.built) this.build(x.shape);
    return tf.tidy(() => {
      const input = options.training === true && this.corruption !== null ? corrupt(x, this.corruption, options.rng ?? this.nextRng()) : x;
      const code = this.encoder.apply(input, options);
      const reconstruction = this.decoder.apply(code, options);
      const auxiliaryLoss = this.sparsity === null ? tf.scalar(0) : sparsityPenalty(code, this.sparsity);
      return { reconstruction, code, auxiliaryLoss };
    });
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    const out = this.run(x, options);
    tf.dispose([out.code, out.auxiliaryLoss]);
    return out.reconstruction;
  }
}

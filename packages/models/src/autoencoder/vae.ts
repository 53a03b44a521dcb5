import { ShapeError, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { Dense, Module, Sequential } from '@tensorloom/layers';
import type { ActivationName, ApplyOptions, ModuleConfig, Shape } from '@tensorloom/layers';
import { activationName, positiveInt, positiveInts } from '../transfer/internal/validate.js';

/**
 * Configuration of {@link VariationalAutoencoder}.
 *
 * @example
 * ```ts
 * const config: VariationalAutoencoderConfig = { inputDim: 784, hiddenSizes: [512], latentDim: 2 };
 * ```
 */
export interface VariationalAutoencoderConfig extends ModuleConfig {
  /** Input features. Default `784`. */
  inputDim?: number;
  /** Hidden layer sizes of the encoder; the decoder mirrors them. Default `[256]`. */
  hiddenSizes?: readonly number[];
  /** Latent dimension. Default `16`. */
  latentDim?: number;
  /** Activation of the hidden layers. Default `'relu'`. */
  activation?: ActivationName;
  /** Activation of the reconstruction: `'sigmoid'` for Bernoulli pixels, `'linear'` for Gaussian outputs. Default `'sigmoid'`. */
  outputActivation?: ActivationName;
}

/**
 * The approximate posterior N(mean, exp(logVar)) that {@link VariationalAutoencoder.encode} returns.
 *
 * @example
 * ```ts
 * const { mean, logVar }: VaePosterior = vae.encode(x);
 * ```
 */
export interface VaePosterior {
  /** Means `[batch, latentDim]`. */
  mean: tf.Tensor;
  /** Log-variances `[batch, latentDim]`. */
  logVar: tf.Tensor;
}

/**
 * What {@link VariationalAutoencoder.run} returns.
 *
 * @example
 * ```ts
 * const { reconstruction, kl } = vae.run(x, { training: true });
 * ```
 */
export interface VaeOutput {
  /** The decoder's output `[batch, inputDim]`. */
  reconstruction: tf.Tensor;
  /** Posterior means `[batch, latentDim]`. */
  mean: tf.Tensor;
  /** Posterior log-variances `[batch, latentDim]`. */
  logVar: tf.Tensor;
  /** The latent decoded: a reparameterised sample in training mode, the mean otherwise. */
  z: tf.Tensor;
  /** {@link klDivergence} of the posterior from N(0, I), a scalar (mean over the batch). */
  kl: tf.Scalar;
}

/**
 * `KL(N(mean, exp(logVar)) ‖ N(0, I))` summed over the latent axis and averaged over the
 * batch: `−½ · mean_batch Σ_j (1 + logVar_j − mean_j² − exp(logVar_j))`.
 *
 * @param mean - `[batch, latent]`.
 * @param logVar - `[batch, latent]`.
 * @returns a scalar.
 * @example
 * ```ts
 * klDivergence(tf.zeros([4, 2]), tf.zeros([4, 2])); // 0
 * ```
 */
export function klDivergence(mean: tf.Tensor, logVar: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mul(-0.5, tf.mean(tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mean)), tf.exp(logVar)), -1))) as tf.Scalar);
}

/**
 * The reparameterisation trick: `mean + exp(logVar / 2) · ε` with `ε ~ N(0, I)` from `rng`,
 * differentiable in `mean` and `logVar`.
 *
 * @param mean - `[batch, latent]`.
 * @param logVar - `[batch, latent]`.
 * @param rng - the source of `ε`.
 * @returns `[batch, latent]`.
 * @example
 * ```ts
 * const z = reparameterize(mean, logVar, rng(3));
 * ```
 */
export function reparameterize(mean: tf.Tensor, logVar: tf.Tensor, rng: Rng): tf.Tensor {
  return tf.tidy(() => tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), rng.normalTensor(mean.shape))));
}

/**
 * A variational autoencoder (Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014,
 * https://arxiv.org/abs/1312.6114): `encoder` (hidden dense layers) → `mean` and `logVar`
 * heads; a reparameterised sample (training) or the mean (inference) → `decoder` (the
 * mirror) → reconstruction. {@link VariationalAutoencoder.run} returns everything the ELBO
 * needs (the KL term included); {@link VariationalAutoencoder.encode},
 * {@link VariationalAutoencoder.decode} and {@link VariationalAutoencoder.sample} work on their own.
 *
 * Default config (784-256-16): 415,024 parameters.
 *
 * Input shape: `[batch, inputDim]`. Output shape: `[batch, inputDim]`.
 *
 * @example
 * ```ts
 * const vae = new VariationalAutoencoder({ inputDim: 784, latentDim: 2 }).build([null, 784], rng(1));
 * const { reconstruction, kl } = vae.run(x, { training: true });
 * const digits = vae.sample(16, rng(2)); // [16, 784]
 * ```
 */
export class VariationalAutoencoder extends Module {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<VariationalAutoencoderConfig, 'name'>>;
  /** Hidden layers of the encoder. */
  readonly encoder: Sequential;
  /** The posterior mean head. */
  readonly meanHead: Dense;
  /** The posterior log-variance head. */
  readonly logVarHead: Dense;
  /** latent → reconstruction. */
  readonly decoder: Sequential;

  constructor(config: VariationalAutoencoderConfig = {}) {
    super({ name: config.name ?? 'vae' });
    const unit = this.label;
    const inputDim = positiveInt(unit, 'inputDim', config.inputDim ?? 784);
    const hiddenSizes = positiveInts(unit, 'hiddenSizes', config.hiddenSizes ?? [256]);
    const latentDim = positiveInt(unit, 'latentDim', config.latentDim ?? 16);
    const activation = activationName(unit, 'activation', config.activation ?? 'relu');
    const outputActivation = activationName(unit, 'outputActivation', config.outputActivation ?? 'sigmoid');
    this.config = { inputDim, hiddenSizes, latentDim, activation, outputActivation };
    this.encoder = this.addModule('encoder', new Sequential(hiddenSizes.map((units, i) => new Dense({ name: `fc${i + 1}`, units, activation })), { name: 'encoder' }));
    this.meanHead = this.addModule('mean', new Dense({ name: 'mean', units: latentDim }));
    this.logVarHead = this.addModule('logVar', new Dense({ name: 'logVar', units: latentDim }));
    this.decoder = this.addModule(
      'decoder',
      new Sequential(
        [
          ...[...hiddenSizes].reverse().map((units, i) => new Dense({ name: `fc${i + 1}`, units, activation })),
          new Dense({ name: 'output', units: inputDim, activation: outputActivation }),
        ],
        { name: 'decoder' },
      ),
    );
  }

  /** Latent dimension. */
  get latentDim(): number {
    return this.config.latentDim;
  }

  protected override onBuild(inputShape: Shape): void {
    this.encoder.build(inputShape);
    const h = this.encoder.outputShape(inputShape);
    this.meanHead.build(h);
    this.logVarHead.build(h);
    this.decoder.build([inputShape[0] ?? null, this.config.latentDim]);
  }

  override outputShape(inputShape: Shape): Shape {
    return [inputShape[0] ?? null, this.config.inputDim];
  }

  /**
   * The approximate posterior of `x`.
   *
   * @param x - `[batch, inputDim]`.
   * @param options - training mode.
   * @returns `mean` and `logVar`, `[batch, latentDim]` each, owned by the caller.
   * @example
   * ```ts
   * const { mean, logVar } = vae.encode(x);
   * ```
   */
  encode(x: tf.Tensor, options: ApplyOptions = {}): VaePosterior {
    if (!this.built) this.build(x.shape);
    return tf.tidy(() => {
      const h = this.encoder.apply(x, options);
      return { mean: this.meanHead.apply(h, options), logVar: this.logVarHead.apply(h, options) };
    });
  }

  /**
   * The reconstruction (Bernoulli means with the sigmoid output) of latents `z`.
   *
   * @param z - `[batch, latentDim]`.
   * @param options - training mode.
   * @returns `[batch, inputDim]`.
   * @example
   * ```ts
   * const xHat = vae.decode(tf.zeros([1, vae.latentDim]));
   * ```
   */
  decode(z: tf.Tensor, options: ApplyOptions = {}): tf.Tensor {
    if (!this.built) this.build([z.shape[0] ?? null, this.config.inputDim]);
    return this.decoder.apply(z, options);
  }

  /**
   * Decodes `n` latents drawn from the prior N(0, I).
   *
   * @param n - how many.
   * @param rng - the source of the latents.
   * @returns `[n, inputDim]`.
   * @example
   * ```ts
   * const samples = vae.sample(8, rng(1));
   * ```
   */
  sample(n: number, rng: Rng): tf.Tensor {
    positiveInt(this.label, 'sample n', n);
    return tf.tidy(() => this.decode(rng.normalTensor([n, this.config.latentDim])));
  }

  /**
   * Encodes, samples (training mode; the mean otherwise), decodes, and computes the KL term.
   *
   * @param x - `[batch, inputDim]`.
   * @param options - training mode; `rng` for ε (default: this module's call stream).
   * @returns see {@link VaeOutput}; the caller owns the tensors.
   * @example
   * ```ts
   * const out = vae.run(x, { training: true });
   * const elbo = tf.add(reconstructionLoss(x, out.reconstruction), out.kl);
   * ```
   */
  run(x: tf.Tensor, options: ApplyOptions & { rng?: Rng } = {}): VaeOutput {
    if (!this.built) this.build(x.shape);
    if (x.rank !== 2 || x.shape[1] !== this.config.inputDim) {
      throw new ShapeError(`${this.label}: input expected [batch, ${this.config.inputDim}], got [${x.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      const { mean, logVar } = this.encode(x, options);
      const z = options.training === true ? reparameterize(mean, logVar, options.rng ?? this.nextRng()) : tf.clone(mean);
      return { reconstruction: this.decode(z, options), mean, logVar, z, kl: klDivergence(mean, logVar) };
    });
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    const out = this.run(x, options);
    tf.dispose([out.mean, out.logVar, out.z, out.kl]);
    return out.reconstruction;
  }
}

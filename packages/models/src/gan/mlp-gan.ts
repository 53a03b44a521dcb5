import { tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { Dense, Dropout, Sequential } from '@tensorloom/layers';
import type { ApplyOptions, ModuleConfig } from '@tensorloom/layers';
import type { Layer } from '../transfer/internal/chain.js';
import { positiveInt, positiveInts, rate } from '../transfer/internal/validate.js';
import type { Generator } from './generator.js';

/**
 * Configuration of {@link mlpGan}, {@link MLPGenerator} and {@link MLPDiscriminator}.
 *
 * @example
 * ```ts
 * const config: MLPGANConfig = { dataDim: 784, latentDim: 64, hiddenSizes: [256, 256] };
 * ```
 */
export interface MLPGANConfig extends ModuleConfig {
  /** Size of a data sample (flattened). Default `784`. */
  dataDim?: number;
  /** Size of the latent `z`. Default `100`. */
  latentDim?: number;
  /** Hidden sizes of the generator; the discriminator uses them reversed. Default `[128, 256]`. */
  hiddenSizes?: readonly number[];
  /** Dropout in the discriminator's hidden layers. Default `0`. */
  dropout?: number;
}

/**
 * The generator of the original GAN (Goodfellow et al., "Generative Adversarial Nets",
 * NeurIPS 2014, https://arxiv.org/abs/1406.2661) as an MLP: `z` → dense LeakyReLU layers
 * `fc1`..`fcN` → `output` (tanh, `dataDim` values in [−1, 1]).
 *
 * Default config (z = 100, 128-256, 784): 247,440 parameters.
 *
 * Input shape: `[batch, latentDim]`. Output shape: `[batch, dataDim]`.
 *
 * @example
 * ```ts
 * const g = new MLPGenerator({ dataDim: 2, latentDim: 4, hiddenSizes: [16] }).build([null, 4], rng(1));
 * const points = g.sample(100, rng(2)); // [100, 2]
 * ```
 */
export class MLPGenerator extends Sequential implements Generator {
  /** Size of the latent `z`. */
  readonly latentDim: number;

  constructor(config: MLPGANConfig = {}) {
    const name = config.name ?? 'mlp_generator';
    const unit = `MLPGenerator '${name}'`;
    const dataDim = positiveInt(unit, 'dataDim', config.dataDim ?? 784);
    const latentDim = positiveInt(unit, 'latentDim', config.latentDim ?? 100);
    const hidden = positiveInts(unit, 'hiddenSizes', config.hiddenSizes ?? [128, 256]);
    super(
      [...hidden.map((units, i) => new Dense({ name: `fc${i + 1}`, units, activation: 'leakyRelu' })), new Dense({ name: 'output', units: dataDim, activation: 'tanh' })],
      { name },
    );
    this.latentDim = latentDim;
  }

  /**
   * Generates `n` samples from latents drawn from N(0, I).
   *
   * @param n - how many.
   * @param rng - the source of the latents.
   * @param options - training mode.
   * @returns `[n, dataDim]`.
   * @example
   * ```ts
   * const fakes = generator.sample(64, rng(3));
   * ```
   */
  sample(n: number, rng: Rng, options: ApplyOptions = {}): tf.Tensor {
    positiveInt(this.label, 'sample n', n);
    if (!this.built) this.build([null, this.latentDim]);
    return tf.tidy(() => this.apply(rng.normalTensor([n, this.latentDim]), options));
  }
}

/**
 * The discriminator of the MLP GAN (Goodfellow et al. 2014): dense LeakyReLU layers (the
 * generator's sizes reversed), optional dropout, then a dense `logit`.
 *
 * Default config (784, 256-128): 233,985 parameters.
 *
 * Input shape: `[batch, dataDim]`. Output shape: `[batch, 1]`.
 *
 * @example
 * ```ts
 * const d = new MLPDiscriminator({ dataDim: 2, hiddenSizes: [16] }).build([null, 2], rng(1));
 * ```
 */
export class MLPDiscriminator extends Sequential {
  constructor(config: MLPGANConfig = {}) {
    const name = config.name ?? 'mlp_discriminator';
    const unit = `MLPDiscriminator '${name}'`;
    positiveInt(unit, 'dataDim', config.dataDim ?? 784);
    const hidden = positiveInts(unit, 'hiddenSizes', config.hiddenSizes ?? [128, 256]);
    const dropout = rate(unit, 'dropout', config.dropout ?? 0);
    const layers: Layer[] = [];
    [...hidden].reverse().forEach((units, i) => {
      layers.push(new Dense({ name: `fc${i + 1}`, units, activation: 'leakyRelu' }));
      if (dropout > 0) layers.push(new Dropout({ name: `dropout${i + 1}`, rate: dropout }));
    });
    layers.push(new Dense({ name: 'logit', units: 1 }));
    super(layers, { name });
  }
}

/**
 * What {@link mlpGan} returns.
 *
 * @example
 * ```ts
 * const { generator, discriminator }: MLPGANPair = mlpGan();
 * ```
 */
export interface MLPGANPair {
  /** latent → sample. */
  generator: MLPGenerator;
  /** sample → real-vs-fake logit. */
  discriminator: MLPDiscriminator;
}

/**
 * An MLP GAN pair: {@link MLPGenerator} and {@link MLPDiscriminator}.
 *
 * @param config - shared by both.
 * @returns both models, unbuilt.
 * @example
 * ```ts
 * const { generator, discriminator } = mlpGan({ dataDim: 784 });
 * ```
 */
export function mlpGan(config: MLPGANConfig = {}): MLPGANPair {
  return { generator: new MLPGenerator(config), discriminator: new MLPDiscriminator(config) };
}

import { ConfigError } from '@tensorloom/core';
import { Dense, Sequential } from '@tensorloom/layers';
import type { ActivationName, ModuleConfig } from '@tensorloom/layers';
import { activationName, positiveInt, positiveInts } from '../transfer/internal/validate.js';
import { Autoencoder, checkCorruption, checkSparsity } from './autoencoder.js';
import type { Corruption, Sparsity } from './autoencoder.js';

/**
 * Configuration of {@link DenseAutoencoder}.
 *
 * @example
 * ```ts
 * const config: DenseAutoencoderConfig = { inputDim: 784, hiddenSizes: [256, 64], latentDim: 16 };
 * ```
 */
export interface DenseAutoencoderConfig extends ModuleConfig {
  /** Input (and reconstruction) features. Default `784`. */
  inputDim?: number;
  /** Hidden layer sizes of the encoder; the decoder mirrors them. Default `[128]`. */
  hiddenSizes?: readonly number[];
  /** Code size. Default `32`. */
  latentDim?: number;
  /** Activation of the hidden layers. Default `'relu'`. */
  activation?: ActivationName;
  /** Activation of the code. Default `'linear'`, or `'sigmoid'` with a KL sparsity penalty (which needs codes in (0, 1)). */
  codeActivation?: ActivationName;
  /** Activation of the reconstruction. Default `'sigmoid'` (inputs in [0, 1]). */
  outputActivation?: ActivationName;
  /** Training-time input corruption (a denoising autoencoder). Default `null`. */
  corruption?: Corruption | null;
  /** Activity penalty on the code (a sparse autoencoder). Default `null`. */
  sparsity?: Sparsity | null;
}

/**
 * A fully connected autoencoder (Hinton & Salakhutdinov, "Reducing the Dimensionality of
 * Data with Neural Networks", Science 2006, https://doi.org/10.1126/science.1127647):
 * `encoder` = `fc1`..`fcN` → `code`, `decoder` = the mirror → `output`. With `corruption`
 * it is a denoising autoencoder, with `sparsity` a sparse one (see {@link Autoencoder}).
 *
 * Default config (784-128-32-128-784): 209,968 parameters.
 *
 * Input shape: `[batch, inputDim]`. Output shape: `[batch, inputDim]`; code `[batch, latentDim]`.
 *
 * @example
 * ```ts
 * const ae = new DenseAutoencoder({ inputDim: 64, hiddenSizes: [32], latentDim: 8 }).build([null, 64], rng(1));
 * const xHat = ae.apply(x); // [batch, 64]
 * ```
 */
export class DenseAutoencoder extends Autoencoder {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<DenseAutoencoderConfig, 'name' | 'corruption' | 'sparsity'>>;

  constructor(config: DenseAutoencoderConfig = {}) {
    const name = config.name ?? 'dense_autoencoder';
    const unit = `DenseAutoencoder '${name}'`;
    const inputDim = positiveInt(unit, 'inputDim', config.inputDim ?? 784);
    const hiddenSizes = positiveInts(unit, 'hiddenSizes', config.hiddenSizes ?? [128], true);
    const latentDim = positiveInt(unit, 'latentDim', config.latentDim ?? 32);
    const corruption = checkCorruption(unit, config.corruption);
    const sparsity = checkSparsity(unit, config.sparsity);
    const activation = activationName(unit, 'activation', config.activation ?? 'relu');
    const codeActivation = activationName(unit, 'codeActivation', config.codeActivation ?? (sparsity?.type === 'kl' ? 'sigmoid' : 'linear'));
    if (sparsity?.type === 'kl' && codeActivation !== 'sigmoid') {
      throw new ConfigError(`${unit}: codeActivation expected 'sigmoid' with a KL sparsity penalty, got '${codeActivation}'`);
    }
    const outputActivation = activationName(unit, 'outputActivation', config.outputActivation ?? 'sigmoid');
    const encoder = new Sequential(
      [...hiddenSizes.map((units, i) => new Dense({ name: `fc${i + 1}`, units, activation })), new Dense({ name: 'code', units: latentDim, activation: codeActivation })],
      { name: 'encoder' },
    );
    const decoder = new Sequential(
      [
        ...[...hiddenSizes].reverse().map((units, i) => new Dense({ name: `fc${i + 1}`, units, activation })),
        new Dense({ name: 'output', units: inputDim, activation: outputActivation }),
      ],
      { name: 'decoder' },
    );
    super(encoder, decoder, corruption, sparsity, { name });
    this.config = { inputDim, hiddenSizes, latentDim, activation, codeActivation, outputActivation };
  }
}

/**
 * A denoising autoencoder (Vincent, Larochelle, Bengio & Manzagol, "Extracting and
 * Composing Robust Features with Denoising Autoencoders", ICML 2008,
 * https://doi.org/10.1145/1390156.1390294): a {@link DenseAutoencoder} whose input is
 * corrupted in training mode only (default: masking noise, rate 0.25); train it to
 * reconstruct the clean input. 209,968 parameters with the defaults.
 *
 * @param config - as {@link DenseAutoencoderConfig}; `corruption` defaults to `{ type: 'masking', rate: 0.25 }`.
 * @returns the model, unbuilt.
 * @example
 * ```ts
 * const dae = denoisingAutoencoder({ corruption: { type: 'gaussian', stddev: 0.3 } }).build([null, 784], rng(1));
 * const { reconstruction } = dae.run(x, { training: true }); // compare with the clean x
 * ```
 */
export function denoisingAutoencoder(config: DenseAutoencoderConfig = {}): DenseAutoencoder {
  return new DenseAutoencoder({ name: 'denoising_autoencoder', corruption: { type: 'masking', rate: 0.25 }, ...config });
}

/**
 * A sparse autoencoder (Ng, "Sparse autoencoder", CS294A lecture notes 2011,
 * https://web.stanford.edu/class/cs294a/sparseAutoencoder.pdf): a {@link DenseAutoencoder}
 * with an activity penalty on its code returned by `run` as `auxiliaryLoss` (default: KL
 * towards a mean activation of 0.05, weight 0.1, sigmoid code). 209,968 parameters with the defaults.
 *
 * @param config - as {@link DenseAutoencoderConfig}; `sparsity` defaults to `{ type: 'kl', target: 0.05, weight: 0.1 }`.
 * @returns the model, unbuilt.
 * @example
 * ```ts
 * const sae = sparseAutoencoder({ sparsity: { type: 'l1', weight: 1e-4 } }).build([null, 784], rng(1));
 * const { reconstruction, auxiliaryLoss } = sae.run(x, { training: true });
 * ```
 */
export function sparseAutoencoder(config: DenseAutoencoderConfig = {}): DenseAutoencoder {
  return new DenseAutoencoder({ name: 'sparse_autoencoder', sparsity: { type: 'kl', target: 0.05, weight: 0.1 }, ...config });
}

import { ConfigError } from '@tensorloom/core';
import { Conv2D, Conv2DTranspose, Sequential } from '@tensorloom/layers';
import type { ActivationName, ModuleConfig } from '@tensorloom/layers';
import { activationName, imageShape, positiveInt, positiveInts } from '../transfer/internal/validate.js';
import { Autoencoder, checkCorruption, checkSparsity } from './autoencoder.js';
import type { Corruption, Sparsity } from './autoencoder.js';

/**
 * Configuration of {@link ConvAutoencoder}.
 *
 * @example
 * ```ts
 * const config: ConvAutoencoderConfig = { inputShape: [32, 32, 3], filters: [32, 64] };
 * ```
 */
export interface ConvAutoencoderConfig extends ModuleConfig {
  /** `[height, width, channels]`; height and width divisible by `2^filters.length`. Default `[28, 28, 1]`. */
  inputShape?: readonly number[];
  /** Channels of the stride-2 encoder convs; the decoder mirrors them with stride-2 transposed convs. Default `[16, 32]`. */
  filters?: readonly number[];
  /** Kernel size of every conv. Default `3`. */
  kernelSize?: number;
  /** Activation of the hidden convs. Default `'relu'`. */
  activation?: ActivationName;
  /** Activation of the reconstruction. Default `'sigmoid'`. */
  outputActivation?: ActivationName;
  /** Training-time input corruption (denoising). Default `null`. */
  corruption?: Corruption | null;
  /** Activity penalty on the code feature map. Default `null`. */
  sparsity?: Sparsity | null;
}

/**
 * A convolutional autoencoder (Masci, Meier, Cireşan & Schmidhuber, "Stacked Convolutional
 * Auto-Encoders for Hierarchical Feature Extraction", ICANN 2011,
 * https://doi.org/10.1007/978-3-642-21735-7_7): `encoder` = `conv1`..`convN` (stride 2,
 * `'same'`), `decoder` = `deconv1`..`deconvN` (stride-2 transposed convs) → `output` (a
 * 3×3 conv back to the input channels). Corruption and sparsity as in {@link Autoencoder}.
 *
 * Default config (28×28×1, filters [16, 32]): 18,817 parameters.
 *
 * Input shape: `[batch, h, w, c]`. Output shape: the same; code `[batch, h/2^N, w/2^N, filters[N−1]]`.
 *
 * @example
 * ```ts
 * const ae = new ConvAutoencoder({ inputShape: [28, 28, 1] }).build([null, 28, 28, 1], rng(1));
 * ae.encode(tf.zeros([2, 28, 28, 1])).shape; // [2, 7, 7, 32]
 * ```
 */
export class ConvAutoencoder extends Autoencoder {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<ConvAutoencoderConfig, 'name' | 'corruption' | 'sparsity' | 'inputShape'>> & {
    /** `[height, width, channels]`. */
    inputShape: [number, number, number];
  };

  constructor(config: ConvAutoencoderConfig = {}) {
    const name = config.name ?? 'conv_autoencoder';
    const unit = `ConvAutoencoder '${name}'`;
    const inputShape = imageShape(unit, 'inputShape', config.inputShape ?? [28, 28, 1]);
    const filters = positiveInts(unit, 'filters', config.filters ?? [16, 32]);
    const kernelSize = positiveInt(unit, 'kernelSize', config.kernelSize ?? 3);
    const factor = 2 ** filters.length;
    if (inputShape[0] % factor !== 0 || inputShape[1] % factor !== 0) {
      throw new ConfigError(`${unit}: inputShape expected height and width divisible by ${factor} (2^filters.length), got [${inputShape.join(', ')}]`);
    }
    const activation = activationName(unit, 'activation', config.activation ?? 'relu');
    const outputActivation = activationName(unit, 'outputActivation', config.outputActivation ?? 'sigmoid');
    const encoder = new Sequential(
      filters.map((f, i) => new Conv2D({ name: `conv${i + 1}`, filters: f, kernelSize, strides: 2, padding: 'same', activation })),
      { name: 'encoder' },
    );
    const decoder = new Sequential(
      [
        ...[...filters].reverse().map((f, i) => new Conv2DTranspose({ name: `deconv${i + 1}`, filters: f, kernelSize, strides: 2, padding: 'same', activation })),
        new Conv2D({ name: 'output', filters: inputShape[2], kernelSize: 3, padding: 'same', activation: outputActivation }),
      ],
      { name: 'decoder' },
    );
    super(encoder, decoder, checkCorruption(unit, config.corruption), checkSparsity(unit, config.sparsity), { name });
    this.config = { inputShape, filters, kernelSize, activation, outputActivation };
  }
}

// The networks: a convolutional VAE built from layers, and the DCGAN pair from models.
import type { Rng } from '@tensorloom/core';
import { Conv2D, Conv2DTranspose, Dense, Flatten, Reshape, Sequential } from '@tensorloom/layers';
import { dcgan } from '@tensorloom/models';
import type { DCGANDiscriminator, DCGANGenerator } from '@tensorloom/models';

/** Models the `--model` flag accepts. */
export const GENERATIVE_MODELS = ['vae', 'dcgan'] as const;
/** A `--model` value. */
export type GenerativeModel = (typeof GENERATIVE_MODELS)[number];

/** The two halves of the VAE (Kingma & Welling 2013, https://arxiv.org/abs/1312.6114). */
export interface ConvVae {
  /** Images `[b, 28, 28, 1]` → `[b, 2·latent]`: the means, then the log-variances of q(z|x). */
  encoder: Sequential;
  /** Latents `[b, latent]` → pixel logits `[b, 28, 28, 1]` (a Bernoulli per pixel). */
  decoder: Sequential;
  latentDim: number;
}

/**
 * The convolutional VAE: two stride-2 convolutions (32, 64 filters) to the posterior, and
 * their mirror image with transposed convolutions back to the pixel logits.
 */
export function convVae(latentDim: number, rng: Rng): ConvVae {
  const encoder = new Sequential(
    [
      new Conv2D({ name: 'conv1', filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), // (B, 14, 14, 32)
      new Conv2D({ name: 'conv2', filters: 64, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), // (B, 7, 7, 64)
      new Flatten(),
      new Dense({ name: 'hidden', units: 256, activation: 'relu' }),
      new Dense({ name: 'posterior', units: 2 * latentDim }),
    ],
    { name: 'encoder' },
  ).build([null, 28, 28, 1], rng.fold('encoder'));
  const decoder = new Sequential(
    [
      new Dense({ name: 'hidden', units: 256, activation: 'relu' }),
      new Dense({ name: 'project', units: 7 * 7 * 64, activation: 'relu' }),
      new Reshape({ targetShape: [7, 7, 64] }),
      new Conv2DTranspose({ name: 'deconv1', filters: 32, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' }), // (B, 14, 14, 32)
      new Conv2DTranspose({ name: 'deconv2', filters: 1, kernelSize: 3, strides: 2, padding: 'same' }), // (B, 28, 28, 1) logits
    ],
    { name: 'decoder' },
  ).build([null, latentDim], rng.fold('decoder'));
  return { encoder, decoder, latentDim };
}

/** The DCGAN pair of @tensorloom/models for 28×28×1 (Radford et al. 2015, https://arxiv.org/abs/1511.06434). */
export function mnistDcgan(latentDim: number, rng: Rng): { generator: DCGANGenerator; discriminator: DCGANDiscriminator } {
  const { generator, discriminator } = dcgan({ imageShape: [28, 28, 1], latentDim, baseFilters: 32 });
  generator.build([null, latentDim], rng.fold('generator'));
  discriminator.build([null, 28, 28, 1], rng.fold('discriminator'));
  return { generator, discriminator };
}

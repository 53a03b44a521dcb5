import type { Rng, tf } from '@tensorloom/core';
import type { ApplyOptions } from '@tensorloom/layers';

/**
 * What a GAN training step needs from a generator: its latent size and a way to draw samples.
 * {@link DCGANGenerator} and {@link MLPGenerator} implement it.
 *
 * @example
 * ```ts
 * function fakes(g: Generator, n: number, r: Rng): tf.Tensor { return g.sample(n, r, { training: true }); }
 * ```
 */
export interface Generator {
  /** Size of the latent vector `z`. */
  readonly latentDim: number;
  /**
   * Decodes `n` latents drawn from N(0, I).
   *
   * @param n - how many.
   * @param rng - the source of the latents.
   * @param options - training mode (batch norm statistics).
   * @returns generated samples.
   */
  sample(n: number, rng: Rng, options?: ApplyOptions): tf.Tensor;
}

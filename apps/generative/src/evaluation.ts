// The VAE's test figure (negative ELBO) and the pictures of a generative run.
import { tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { imageGridPng } from '@tensorloom/app-kit';
import type { ImageSplit } from '@tensorloom/datasets';
import type { Module } from '@tensorloom/layers';

/**
 * Negative ELBO in nats per image: −E_q[log p(x|z)] + KL(q(z|x) ‖ N(0, I)), with a Bernoulli
 * likelihood on the [0, 1] intensities summed over the 784 pixels (the cross-entropy
 * `softplus(l) − x·l` of each pixel logit l), one reparameterised sample per image, averaged
 * over the split. Lower is better.
 */
export function negativeElbo(encoder: Module, decoder: Module, split: ImageSplit, latentDim: number, rng: Rng, batchSize = 500): number {
  let total = 0;
  for (let start = 0; start < split.count; start += batchSize) {
    const part = split.slice(start, Math.min(split.count, start + batchSize));
    const { xs, ys } = part.tensors();
    const eps = rng.fold(start).normalTensor([part.count, latentDim]);
    const sum = tf.tidy(() => {
      const stats = encoder.apply(xs) as tf.Tensor;
      const [mean, logVar] = tf.split(stats, 2, 1) as [tf.Tensor, tf.Tensor];
      const z = tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps));
      const logits = tf.reshape(decoder.apply(z) as tf.Tensor, [part.count, -1]);
      const x = tf.reshape(xs, [part.count, -1]);
      const nll = tf.sum(tf.sub(tf.softplus(logits), tf.mul(x, logits)), 1);
      const kl = tf.mul(-0.5, tf.sum(tf.sub(tf.sub(tf.add(1, logVar), tf.square(mean)), tf.exp(logVar)), 1));
      return tf.sum(tf.add(nll, kl));
    });
    total += sum.dataSync()[0]!;
    tf.dispose([xs, ys, eps, sum]);
  }
  return total / split.count;
}

/** Six rows of eight: each row decodes points on the straight line between two random latents. */
export function interpolationGrid(decode: (z: tf.Tensor) => tf.Tensor, rng: Rng, latentDim: number): Uint8Array {
  const rows = 6;
  const cols = 8;
  const images = tf.tidy(() => {
    const ends = rng.normalTensor([rows, 2, latentDim]);
    const t = tf.linspace(0, 1, cols).reshape([1, cols, 1]); // (1, cols, 1)
    const [a, b] = tf.split(ends, 2, 1); // (rows, 1, latent) each
    const z = tf.add(tf.mul(a!, tf.sub(1, t)), tf.mul(b!, t)).reshape([rows * cols, latentDim]);
    return tf.clipByValue(decode(z), 0, 1);
  });
  const data = images.dataSync() as Float32Array;
  images.dispose();
  return imageGridPng(Array.from({ length: rows * cols }, (_, i) => data.subarray(i * 784, (i + 1) * 784)), 28, 28, 1, cols);
}

/** Sixteen test images and their reconstructions from the posterior mean, a row of originals above a row of reconstructions. */
export function reconstructionGrid(encoder: Module, decode: (z: tf.Tensor) => tf.Tensor, split: ImageSplit, latentDim: number): Uint8Array {
  const n = Math.min(16, split.count);
  const { xs, ys } = split.slice(0, n).tensors();
  const recon = tf.tidy(() => tf.clipByValue(decode((encoder.apply(xs) as tf.Tensor).slice([0, 0], [-1, latentDim])), 0, 1));
  const original = xs.dataSync() as Float32Array;
  const rebuilt = recon.dataSync() as Float32Array;
  tf.dispose([xs, ys, recon]);
  const tiles: Float32Array[] = [];
  for (let row = 0; row < n; row += 8) {
    for (let i = row; i < Math.min(row + 8, n); i++) tiles.push(original.subarray(i * 784, (i + 1) * 784));
    for (let i = row; i < Math.min(row + 8, n); i++) tiles.push(rebuilt.subarray(i * 784, (i + 1) * 784));
  }
  return imageGridPng(tiles, 28, 28, 1, 8);
}

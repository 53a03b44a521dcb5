// A generative run folder: config.json, model.safetensors (both networks, prefixed by name),
// checkpoints/, log.jsonl, pictures/ (the PNGs of the report), metrics.json and report.html.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng, tf } from '@tensorloom/core';
import { loadSafetensors } from '@tensorloom/core/node';
import type { Module } from '@tensorloom/layers';
import { RunFolderError } from './classifier.js';
import { convVae, mnistDcgan } from './networks.js';
import type { GenerativeRunConfig } from './train.js';

/** The figures of a run folder's `metrics.json`. */
export const RUN_METRICS = 'metrics.json';
/** The pictures of the report, as PNG files. */
export const PICTURES = 'pictures';

/** The PNG of the samples after epoch `e` (1-based). */
export const epochPicture = (e: number): string => `epoch-${String(e).padStart(3, '0')}.png`;

/** A run's networks with the saved weights, and its decoder to images in [0, 1]. */
export interface LoadedRun {
  config: GenerativeRunConfig;
  modules: Record<string, Module>;
  /** Latents `[b, latent]` → images `[b, 28, 28, 1]` in [0, 1] (the VAE's Bernoulli means). */
  decode: (z: tf.Tensor) => tf.Tensor;
  dispose(): void;
}

/** Reads a run folder's config. */
export async function readRunConfig(dir: string): Promise<GenerativeRunConfig> {
  let text: string;
  try {
    text = await readFile(join(dir, 'config.json'), 'utf8');
  } catch (cause) {
    throw new RunFolderError(`run folder '${dir}': no config.json (expected a folder written by 'generative train')`, { cause });
  }
  const config = JSON.parse(text) as GenerativeRunConfig;
  if (config.model !== 'vae' && config.model !== 'dcgan') {
    throw new RunFolderError(`run folder '${dir}': config.json model expected vae or dcgan, got ${JSON.stringify(config.model)} (not a 'generative train' folder)`);
  }
  return config;
}

/** The networks of a config, fresh, and the decoder of its samples. */
export function buildRun(config: Pick<GenerativeRunConfig, 'model' | 'latent'>, r = rng(0)): Omit<LoadedRun, 'config'> {
  let modules: Record<string, Module>;
  let decode: (z: tf.Tensor) => tf.Tensor;
  if (config.model === 'vae') {
    const vae = convVae(config.latent, r);
    modules = { encoder: vae.encoder, decoder: vae.decoder };
    decode = (z) => tf.sigmoid(vae.decoder.apply(z));
  } else {
    const { generator, discriminator } = mnistDcgan(config.latent, r);
    modules = { generator, discriminator };
    decode = (z) => tf.div(tf.add(generator.apply(z), 1), 2);
  }
  return { modules, decode, dispose: () => Object.values(modules).forEach((m) => m.dispose()) };
}

/** Reads a run folder and rebuilds its networks with the saved weights. */
export async function loadRun(dir: string): Promise<LoadedRun> {
  const config = await readRunConfig(dir);
  const run = buildRun(config);
  const { tensors } = await loadSafetensors(join(dir, 'model.safetensors'));
  try {
    for (const [name, m] of Object.entries(run.modules)) m.loadState(tensors, { prefix: `${name}.` });
  } finally {
    for (const t of Object.values(tensors)) t.dispose();
  }
  return { config, ...run };
}

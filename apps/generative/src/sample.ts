// `generative sample --run <folder> --n 64 --out grid.png`: a grid of fresh samples of a trained run.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng, tf } from '@tensorloom/core';
import { selectBackend } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { loadSafetensors } from '@tensorloom/core/node';
import type { Module } from '@tensorloom/layers';
import { convVae, mnistDcgan } from './networks.js';
import type { GenerativeRunConfig } from './train.js';
import { sampleGrid } from './train.js';

/** Writes `n` samples of the run's generator (or decoder) drawn with `seed` as one PNG grid. */
export async function sample(flags: { run: string; n: number; out: string; seed: number; backend: BackendFlag }): Promise<void> {
  await selectBackend(flags.backend);
  let text: string;
  try {
    text = await readFile(join(flags.run, 'config.json'), 'utf8');
  } catch (cause) {
    throw new Error(`run folder '${flags.run}': no config.json (expected a folder written by 'generative train')`, { cause });
  }
  const config = JSON.parse(text) as GenerativeRunConfig;
  const r = rng(0);
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
  const { tensors } = await loadSafetensors(join(flags.run, 'model.safetensors'));
  for (const [name, m] of Object.entries(modules)) m.loadState(tensors, { prefix: `${name}.` });
  for (const t of Object.values(tensors)) t.dispose();
  const z = rng(flags.seed).normalTensor([flags.n, config.latent]);
  await writeFile(flags.out, sampleGrid(decode, z));
  z.dispose();
  for (const m of Object.values(modules)) m.dispose();
  console.log(`${flags.n} samples of ${config.model} (${config.dataset}) written to ${flags.out}`);
}

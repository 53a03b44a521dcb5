// `generative train`: a VAE (train's vaeStep) or a DCGAN (train's ganStep) on MNIST or
// Fashion-MNIST, with a grid of samples from the same latents after every epoch.
import { writeFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng, tf } from '@tensorloom/core';
import { imageGridPng, selectBackend, withReproducibleKernels } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { saveSafetensors } from '@tensorloom/core/node';
import { Dataset } from '@tensorloom/data';
import { fashionMnist, mnist } from '@tensorloom/datasets';
import type { ImageSplit } from '@tensorloom/datasets';
import type { Module } from '@tensorloom/layers';
import { callbacks, fit, ganStep, optimizers, schedules, vaeStep } from '@tensorloom/train';
import { fileSink, fileStore } from '@tensorloom/train/node';
import { interpolationGrid, negativeElbo, reconstructionGrid } from './evaluation.js';
import { convVae, mnistDcgan } from './networks.js';
import type { GenerativeModel } from './networks.js';
import { writeReport } from './report.js';
import type { RunMetrics } from './report.js';
import { PICTURES, RUN_METRICS, epochPicture } from './run-folder.js';

/** Data sets the `--dataset` flag accepts. */
export const DATASETS = ['mnist', 'fashion-mnist'] as const;

/** The flags of `generative train`. */
export interface GenerativeTrainFlags {
  model: GenerativeModel;
  dataset: (typeof DATASETS)[number];
  /** Default per model: {@link MODEL_DEFAULTS}. */
  epochs?: number;
  batchSize: number;
  /** Default per model: {@link MODEL_DEFAULTS}. */
  lr?: number;
  /** Default per model: {@link MODEL_DEFAULTS}. */
  latent?: number;
  limit?: number;
  backend: BackendFlag;
  seed: number;
  out?: string;
  /** Continue the run in this folder from its last checkpoint, with the folder's own settings. */
  resume?: string;
}

/** What `config.json` of a generative run holds: the flags, with the per-model defaults filled in. */
export type GenerativeRunConfig = Omit<GenerativeTrainFlags, 'backend' | 'out' | 'resume'> & Required<Pick<GenerativeTrainFlags, 'epochs' | 'lr' | 'latent'>>;

/**
 * The defaults of `--epochs`, `--lr` and `--latent` per model: those of the documented full runs (see the
 * README). The DCGAN takes Adam's 2e-4 with β1 0.5 of Radford et al.
 */
export const MODEL_DEFAULTS: Record<GenerativeModel, { epochs: number; lr: number; latent: number }> = {
  vae: { epochs: 50, lr: 1e-3, latent: 32 },
  dcgan: { epochs: 25, lr: 2e-4, latent: 16 },
};

/** Loads the data set of a run (the documented split, or a prefix of each split with `limit`). */
export async function loadSplits(dataset: GenerativeRunConfig['dataset'], limit?: number): Promise<{ train: ImageSplit; test: ImageSplit }> {
  const source = dataset === 'mnist' ? mnist : fashionMnist;
  return source.load(limit === undefined ? {} : { limit });
}

/** Images `[b, 28, 28, 1]` in [0, 1] (VAE) or scaled to [−1, 1] (the DCGAN's tanh range). */
function imageBatches(split: ImageSplit, batchSize: number, seed: number, scale: boolean): Dataset<{ x: tf.Tensor4D }> {
  return Dataset.from(split)
    .shuffle(split.count, { seed })
    .batch(batchSize, { numberDtype: 'int32' })
    .map(({ image, label }) => {
      label.dispose();
      if (!scale) return { x: image as tf.Tensor4D };
      const x = tf.tidy(() => tf.sub(tf.mul(image, 2), 1) as tf.Tensor4D);
      image.dispose();
      return { x };
    });
}

/** Samples of the generator (or decoder) for fixed latents, as a PNG grid (values in [0, 1]). */
export function sampleGrid(decode: (z: tf.Tensor) => tf.Tensor, z: tf.Tensor): Uint8Array {
  const images = tf.tidy(() => tf.clipByValue(decode(z), 0, 1));
  const data = images.dataSync() as Float32Array;
  images.dispose();
  const n = z.shape[0]!;
  return imageGridPng(Array.from({ length: n }, (_, i) => data.subarray(i * 784, (i + 1) * 784)), 28, 28, 1, 8);
}

/** Trains, writes the run folder (config, weights, checkpoints, log, report) and returns its folder and figures. */
export async function trainGenerative(given: GenerativeTrainFlags): Promise<{ dir: string; negativeElbo?: number }> {
  let config: GenerativeRunConfig;
  let dir: string;
  if (given.resume !== undefined) {
    // A resumed run takes every setting from its folder: the same run, continued.
    dir = given.resume;
    config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as GenerativeRunConfig;
  } else {
    const defaults = MODEL_DEFAULTS[given.model];
    const { backend: _b, out: _o, resume: _r, ...settings } = given;
    config = { ...settings, epochs: given.epochs ?? defaults.epochs, lr: given.lr ?? defaults.lr, latent: given.latent ?? defaults.latent };
    dir = given.out ?? join('runs', `${config.dataset}-${config.model}`);
  }
  const flags = config;
  const backend = await selectBackend(given.backend);
  const { train, test } = await loadSplits(flags.dataset, flags.limit);
  const pictures = join(dir, PICTURES);
  if (given.resume === undefined) await rm(pictures, { recursive: true, force: true }); // no pictures of an earlier run in this folder
  await mkdir(pictures, { recursive: true });
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  console.log(`${flags.dataset}: ${train.count} train / ${test.count} test images; ${flags.model}, latent ${flags.latent}; backend ${backend}`);

  const r = rng(flags.seed);
  const fixedZ = r.fold('fixed-z').normalTensor([32, flags.latent]);
  let decode: (z: tf.Tensor) => tf.Tensor;
  let main: Module;
  let modules: Record<string, Module>;
  let step;
  const disposeAfter: { dispose(): void }[] = [];
  if (flags.model === 'vae') {
    const vae = convVae(flags.latent, r);
    // Cosine decay of the rate to 0 over the run: the last epochs settle the ELBO by a few nats.
    const steps = flags.epochs * Math.ceil(train.count / flags.batchSize);
    const optimizer = optimizers.adam({ learningRate: schedules.cosine({ initial: flags.lr, steps }) });
    disposeAfter.push(optimizer);
    step = vaeStep({ encoder: vae.encoder, decoder: vae.decoder, optimizer, latentDim: flags.latent, klWarmupSteps: Math.ceil(train.count / flags.batchSize) });
    decode = (z) => tf.sigmoid(vae.decoder.apply(z));
    main = vae.encoder;
    modules = { encoder: vae.encoder, decoder: vae.decoder };
  } else {
    const { generator, discriminator } = mnistDcgan(flags.latent, r);
    // Adam with β1 = 0.5, as the DCGAN paper trains both networks.
    const generatorOptimizer = optimizers.adam({ learningRate: flags.lr, beta1: 0.5 });
    const discriminatorOptimizer = optimizers.adam({ learningRate: flags.lr, beta1: 0.5 });
    disposeAfter.push(generatorOptimizer, discriminatorOptimizer);
    step = ganStep({ generator, discriminator, generatorOptimizer, discriminatorOptimizer, latentDim: flags.latent });
    decode = (z) => tf.div(tf.add(generator.apply(z), 1), 2);
    main = generator;
    modules = { generator, discriminator };
  }
  const store = fileStore(join(dir, 'checkpoints'));
  await fit(main, imageBatches(train, flags.batchSize, flags.seed, flags.model === 'dcgan'), {
    step,
    epochs: flags.epochs,
    seed: flags.seed,
    verbose: 1,
    resumeFrom: given.resume === undefined ? undefined : store,
    callbacks: [
      callbacks.lambda({ onEpochEnd: (_ctx, epoch) => writeFileSync(join(pictures, epochPicture(epoch + 1)), sampleGrid(decode, fixedZ)) }),
      callbacks.checkpoint({ store, every: { epochs: 1 }, keepLast: 2 }),
      callbacks.jsonlLogger({ sink: fileSink(join(dir, 'log.jsonl'), { append: given.resume !== undefined }) }),
    ],
  });
  const state: Record<string, tf.Tensor> = {};
  for (const [name, m] of Object.entries(modules)) for (const [k, v] of Object.entries(m.state())) state[`${name}.${k}`] = v;
  await saveSafetensors(join(dir, 'model.safetensors'), state);

  await writeFile(join(pictures, 'interpolation.png'), interpolationGrid(decode, r.fold('interpolation'), flags.latent));
  const metrics: RunMetrics = {};
  if (flags.model === 'vae') {
    const vae = modules as { encoder: Module; decoder: Module };
    // With native's kernel path fixed by shape, so `evaluate` reproduces the figure exactly.
    metrics.testNegativeElbo = await withReproducibleKernels(() => negativeElbo(vae.encoder, vae.decoder, test, flags.latent, r.fold('elbo')));
    metrics.testImages = test.count;
    await writeFile(join(pictures, 'reconstructions.png'), reconstructionGrid(vae.encoder, decode, test, flags.latent));
    console.log(`test negative ELBO ${metrics.testNegativeElbo.toFixed(2)} nats per image (Bernoulli likelihood, 784 pixels) on ${test.count} images`);
  }
  await writeFile(join(dir, RUN_METRICS), `${JSON.stringify(metrics, null, 2)}\n`);
  console.log(`report: ${await writeReport(dir, config)}`);
  fixedZ.dispose();
  for (const m of Object.values(modules)) m.dispose();
  for (const d of disposeAfter) d.dispose();
  return { dir, ...(metrics.testNegativeElbo === undefined ? {} : { negativeElbo: metrics.testNegativeElbo }) };
}

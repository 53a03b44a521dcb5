// `generative train`: a VAE (train's vaeStep) or a DCGAN (train's ganStep) on MNIST or
// Fashion-MNIST, with a grid of samples from the same latents after every epoch.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng, tf } from '@tensorloom/core';
import { imageGridPng, pngImg, reportHtml, selectBackend } from '@tensorloom/app-kit';
import type { BackendFlag, ReportSection } from '@tensorloom/app-kit';
import { saveSafetensors } from '@tensorloom/core/node';
import { Dataset } from '@tensorloom/data';
import { fashionMnist, mnist } from '@tensorloom/datasets';
import type { ImageSplit } from '@tensorloom/datasets';
import type { Module } from '@tensorloom/layers';
import { callbacks, fit, ganStep, optimizers, reportSvg, vaeStep } from '@tensorloom/train';
import { fileSink, fileStore } from '@tensorloom/train/node';
import { interpolationGrid, negativeElbo, reconstructionGrid } from './evaluation.js';
import { convVae, mnistDcgan } from './networks.js';
import type { GenerativeModel } from './networks.js';

/** Data sets the `--dataset` flag accepts. */
export const DATASETS = ['mnist', 'fashion-mnist'] as const;

/** The flags of `generative train`. */
export interface GenerativeTrainFlags {
  model: GenerativeModel;
  dataset: (typeof DATASETS)[number];
  epochs: number;
  batchSize: number;
  lr: number;
  latent: number;
  limit?: number;
  backend: BackendFlag;
  seed: number;
  out?: string;
}

/** What `config.json` of a generative run holds. */
export type GenerativeRunConfig = Omit<GenerativeTrainFlags, 'backend' | 'out'>;

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
export async function trainGenerative(flags: GenerativeTrainFlags): Promise<{ dir: string; negativeElbo?: number }> {
  const backend = await selectBackend(flags.backend);
  const source = flags.dataset === 'mnist' ? mnist : fashionMnist;
  const { train, test } = await source.load(flags.limit === undefined ? {} : { limit: flags.limit });
  const dir = flags.out ?? join('runs', `${flags.dataset}-${flags.model}`);
  await mkdir(dir, { recursive: true });
  const { backend: _b, out: _o, ...config } = flags;
  await writeFile(join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  console.log(`${flags.dataset}: ${train.count} train / ${test.count} test images; ${flags.model}, latent ${flags.latent}; backend ${backend}`);

  const r = rng(flags.seed);
  const fixedZ = r.fold('fixed-z').normalTensor([32, flags.latent]);
  const perEpoch: Uint8Array[] = [];
  let decode: (z: tf.Tensor) => tf.Tensor;
  let main: Module;
  let modules: Record<string, Module>;
  let step;
  const disposeAfter: { dispose(): void }[] = [];
  if (flags.model === 'vae') {
    const vae = convVae(flags.latent, r);
    const optimizer = optimizers.adam({ learningRate: flags.lr });
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
  const history = await fit(main, imageBatches(train, flags.batchSize, flags.seed, flags.model === 'dcgan'), {
    step,
    epochs: flags.epochs,
    seed: flags.seed,
    verbose: 1,
    callbacks: [
      callbacks.lambda({ onEpochEnd: () => void perEpoch.push(sampleGrid(decode, fixedZ)) }),
      callbacks.checkpoint({ store: fileStore(join(dir, 'checkpoints')), every: { epochs: 1 }, keepLast: 2 }),
      callbacks.jsonlLogger({ sink: fileSink(join(dir, 'log.jsonl')) }),
    ],
  });
  const state: Record<string, tf.Tensor> = {};
  for (const [name, m] of Object.entries(modules)) for (const [k, v] of Object.entries(m.state())) state[`${name}.${k}`] = v;
  await saveSafetensors(join(dir, 'model.safetensors'), state);

  const sections: ReportSection[] = [
    { title: 'Losses', html: reportSvg(history, { title: flags.model === 'vae' ? 'VAE' : 'DCGAN: generator and discriminator' }) },
    {
      title: 'Samples after each epoch',
      note: 'The same 32 latent vectors decoded after every epoch, first epoch at the top.',
      html: perEpoch.map((png, e) => `<figure>${pngImg(png, `epoch ${e + 1}`, 2)}<figcaption>epoch ${e + 1}</figcaption></figure>`).join(''),
    },
    {
      title: 'Latent interpolation',
      note: 'Each row walks in a straight line between two random latent vectors.',
      html: pngImg(interpolationGrid(decode, r.fold('interpolation'), flags.latent), 'interpolation', 3),
    },
  ];
  let elbo: number | undefined;
  if (flags.model === 'vae') {
    const vae = modules as { encoder: Module; decoder: Module };
    elbo = negativeElbo(vae.encoder, vae.decoder, test, flags.latent, r.fold('elbo'));
    sections.push({
      title: 'Reconstructions',
      note: 'Odd rows: test images; even rows: their reconstructions from the posterior mean.',
      html: pngImg(reconstructionGrid(vae.encoder, decode, test, flags.latent), 'reconstructions', 3),
    });
    await writeFile(join(dir, 'metrics.json'), `${JSON.stringify({ testNegativeElbo: elbo, testImages: test.count }, null, 2)}\n`);
    console.log(`test negative ELBO ${elbo.toFixed(2)} nats per image (Bernoulli likelihood, 784 pixels) on ${test.count} images`);
  }
  const summary =
    `${flags.model} on ${flags.dataset} (${train.count} train images), ${flags.epochs} epochs, seed ${flags.seed}` +
    (elbo === undefined ? '.' : `: test negative ELBO <b>${elbo.toFixed(2)}</b> nats.`);
  await writeFile(join(dir, 'report.html'), reportHtml(`Generative models — ${flags.dataset}`, summary, sections));
  console.log(`report: ${join(dir, 'report.html')}`);
  fixedZ.dispose();
  for (const m of Object.values(modules)) m.dispose();
  for (const d of disposeAfter) d.dispose();
  return { dir, ...(elbo === undefined ? {} : { negativeElbo: elbo }) };
}

// `image-classification pretrain-ae`: pretrains the classifier's backbone as the encoder of a
// convolutional autoencoder on the training images without their labels, and writes a run
// folder whose backbone `finetune --from` takes.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng, tf } from '@tensorloom/core';
import { saveSafetensors } from '@tensorloom/core/node';
import type { ImageSplit } from '@tensorloom/datasets';
import { callbacks, fit, losses, optimizers, schedules } from '@tensorloom/train';
import { fileSink } from '@tensorloom/train/node';
import { imageGridPng, pngImg, reportHtml } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { selectBackend } from '@tensorloom/app-kit';
import type { ModelSpec } from '../architectures.js';
import { BackboneAutoencoder } from '../autoencoder.js';
import { historySections } from '../curves.js';
import { evalBatches, loadData, trainBatches } from '../data.js';
import type { DatasetName } from '../data.js';
import { RUN_CONFIG, RUN_METRICS, RUN_MODEL } from '../run-folder.js';
import type { RunConfig } from '../run-folder.js';

/** The flags of `pretrain-ae`. */
export interface PretrainFlags {
  dataset: DatasetName;
  model: 'lenet5' | 'resnet';
  depth?: number;
  width?: number;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Share of input pixels zeroed in training (denoising); 0 for a plain autoencoder. */
  mask?: number;
  limit?: number;
  backend: BackendFlag;
  seed: number;
  out?: string;
}

/** What `metrics.json` of an autoencoder run holds. */
export interface ReconstructionFigures {
  count: number;
  /** Binary cross-entropy per pixel of the reconstructions of the test images, in nats. */
  bcePerPixel: number;
}

/** Where the whole autoencoder (encoder and decoder) is kept, beside the backbone in `model.safetensors`. */
export const RUN_AUTOENCODER = 'autoencoder.safetensors';

/** Mean binary cross-entropy per pixel of the reconstructions of `split` (inference mode). */
export function reconstructionLoss(ae: BackboneAutoencoder, split: ImageSplit, batchSize = 500): ReconstructionFigures {
  let sum = 0;
  for (let start = 0; start < split.count; start += batchSize) {
    const part = split.slice(start, Math.min(split.count, start + batchSize));
    const { xs, ys } = part.tensors();
    const total = tf.tidy(() => {
      const z = ae.apply(xs);
      // −[x log σ(z) + (1 − x) log(1 − σ(z))] = relu(z) − x z + log(1 + e^{−|z|}), stable for any z.
      return tf.sum(tf.add(tf.sub(tf.relu(z), tf.mul(xs, z)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))));
    });
    sum += total.dataSync()[0]!;
    tf.dispose([xs, ys, total]);
  }
  const pixels = split.shape[0] * split.shape[1] * split.shape[2];
  return { count: split.count, bcePerPixel: sum / (split.count * pixels) };
}

/** Trains the autoencoder on the unlabelled train images and writes the run folder; returns the folder and the test figures. */
export async function pretrainAutoencoder(flags: PretrainFlags): Promise<{ dir: string; figures: ReconstructionFigures }> {
  const backend = await selectBackend(flags.backend);
  const dir = flags.out ?? join('runs', `${flags.dataset}-${flags.model}-ae`);
  const data = await loadData(flags.dataset, flags.limit);
  const spec: ModelSpec = {
    architecture: flags.model,
    classes: data.classNames.length,
    inputShape: [28, 28, 1],
    ...(flags.model === 'resnet' ? { depth: flags.depth ?? 20, width: flags.width ?? 16 } : {}),
  };
  console.log(
    `${flags.dataset}: ${data.train.count} train images, labels unused / ${data.validation.count} validation; ` +
      `autoencoder with the ${flags.model} backbone as encoder; backend ${backend}`,
  );
  const ae = new BackboneAutoencoder(spec, { maskRate: flags.mask ?? 0 }).build([null, 28, 28, 1], rng(flags.seed));
  // The images are their own targets: the labels of each batch are dropped (map disposes them).
  const unlabelled = (batches: ReturnType<typeof evalBatches>) => batches.map(({ x }) => ({ x, y: x.clone() }));
  const stepsPerEpoch = Math.ceil(data.train.count / flags.batchSize);
  const total = stepsPerEpoch * flags.epochs;
  const warmup = Math.min(total - 1, stepsPerEpoch);
  const optimizer = optimizers.adamW({
    learningRate: schedules.linearWarmup({ steps: warmup, then: schedules.cosine({ initial: flags.lr, steps: total - warmup }) }),
    weightDecay: 1e-4,
    groups: optimizers.noDecayGroups(),
  });
  await mkdir(dir, { recursive: true });
  const history = await fit(ae, unlabelled(trainBatches(data.train, flags.dataset, flags.batchSize, flags.seed)), {
    loss: losses.binaryCrossentropy({ fromLogits: true }),
    optimizer,
    epochs: flags.epochs,
    validation: unlabelled(evalBatches(data.validation)),
    seed: flags.seed,
    verbose: 1,
    callbacks: [callbacks.jsonlLogger({ sink: fileSink(join(dir, 'log.jsonl')) })],
  });
  optimizer.dispose();

  const config: RunConfig = {
    dataset: flags.dataset,
    spec,
    classNames: [],
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    lr: flags.lr,
    ...(flags.mask ? { mask: flags.mask } : {}),
    weightDecay: 1e-4,
    warmupEpochs: 1,
    patience: 0,
    ...(flags.limit === undefined ? {} : { limit: flags.limit }),
    seed: flags.seed,
    pretraining: 'autoencoder',
  };
  await writeFile(join(dir, RUN_CONFIG), `${JSON.stringify(config, null, 2)}\n`);
  await saveSafetensors(join(dir, RUN_MODEL), ae.backboneState(), { spec: JSON.stringify(spec) });
  await saveSafetensors(join(dir, RUN_AUTOENCODER), ae.state());
  const figures = reconstructionLoss(ae, data.test);
  await writeFile(join(dir, RUN_METRICS), `${JSON.stringify(figures, null, 2)}\n`);

  // The report: the curves, and 16 test images above their reconstructions.
  const shown = data.test.slice(0, Math.min(16, data.test.count));
  const { xs, ys } = shown.tensors();
  const recon = tf.tidy(() => tf.sigmoid(ae.apply(xs)));
  const size = 28 * 28;
  const tiles = (values: Float32Array): Float32Array[] => Array.from({ length: shown.count }, (_, i) => values.subarray(i * size, (i + 1) * size));
  const grid = imageGridPng([...tiles(shown.images), ...tiles(recon.dataSync() as Float32Array)], 28, 28, 1, shown.count);
  tf.dispose([xs, ys, recon]);
  const summary =
    `A convolutional autoencoder whose encoder is the ${flags.model} backbone, trained on the ${data.train.count} ${flags.dataset} train images ` +
    `without their labels, seed ${flags.seed}: test reconstruction <b>${figures.bcePerPixel.toFixed(4)}</b> nats per pixel (binary cross-entropy). ` +
    `The encoder's weights are in ${RUN_MODEL}, under the backbone's names: <code>finetune --from ${dir}</code> takes them.`;
  await writeFile(
    join(dir, 'report.html'),
    reportHtml(`Autoencoder pretraining — ${flags.dataset}`, summary, [
      ...historySections(history, 'Training (reconstruction loss)'),
      { title: 'Reconstructions', note: 'Top: the first test images; bottom: their reconstructions.', html: pngImg(grid, 'test images and reconstructions') },
    ]),
  );
  ae.dispose();
  console.log(`test reconstruction ${figures.bcePerPixel.toFixed(4)} nats per pixel on ${figures.count} images`);
  console.log(`backbone for finetune --from: ${dir}`);
  if (tf.memory().numTensors > 0) console.log(`(tensors still alive: ${tf.memory().numTensors})`);
  return { dir, figures };
}

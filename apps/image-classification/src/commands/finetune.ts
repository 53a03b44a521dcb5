// `image-classification finetune --from <run>`: transfer learning with few labels.
//
// The backbone of a trained run (say a network trained on digits 0–4, or the encoder of
// `pretrain-ae`) gets a fresh head for the
// target task; phase 1 trains the head with the backbone frozen (its batch norms in inference
// mode), phase 2 unfreezes the last block at a tenth of the rate. The same network trained
// from scratch on the same labelled images for the same number of epochs is the comparison.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng, tf } from '@tensorloom/core';
import { ImageSplit } from '@tensorloom/datasets';
import { accuracy } from '@tensorloom/metrics';
import type { Module } from '@tensorloom/layers';
import { BackboneModel } from '@tensorloom/models';
import { fit, losses, optimizers } from '@tensorloom/train';
import type { History } from '@tensorloom/train';
import { buildModel } from '../architectures.js';
import type { BackendFlag } from '@tensorloom/app-kit';
import { selectBackend } from '@tensorloom/app-kit';
import { evalBatches, loadData, trainBatches } from '../data.js';
import type { DatasetName } from '../data.js';
import { RUN_CONFIG, loadWeights, saveModel } from '../run-folder.js';
import type { RunConfig } from '../run-folder.js';
import { evaluateTest, writeRunReport } from '../run-report.js';
import { historySections } from '../curves.js';

/** The flags of `finetune`. */
export interface FinetuneFlags {
  from: string;
  dataset: DatasetName;
  labels: number;
  /** The labels of the target kept, relabelled 0, 1, … (default all). */
  classes?: number[];
  headEpochs: number;
  tuneEpochs: number;
  /** Phase 2's rate as a fraction of `lr` (0.1 by default: the last block moves gently). */
  tuneRate?: number;
  lr: number;
  batchSize: number;
  backend: BackendFlag;
  seed: number;
  out?: string;
}

/**
 * `floor(total / classes)` images of each class, drawn at random (seeded): a balanced labelled
 * subset. Another seed draws other images, so the spread over seeds includes the draw.
 */
export function balancedSubset(split: ImageSplit, total: number, seed: number): ImageSplit {
  const classes = split.classNames.length;
  const perClass = Math.floor(total / classes);
  const picked: number[] = [];
  const counts = new Array<number>(classes).fill(0);
  const order = rng(seed).fold('labelled subset').permutation(split.count);
  for (let j = 0; j < split.count && picked.length < perClass * classes; j++) {
    const i = order[j]!;
    const label = split.labels[i]!;
    if (counts[label]! < perClass) {
      counts[label]!++;
      picked.push(i);
    }
  }
  const size = split.shape[0] * split.shape[1] * split.shape[2];
  const images = new Float32Array(picked.length * size);
  picked.forEach((i, j) => images.set(split.images.subarray(i * size, (i + 1) * size), j * size));
  return new ImageSplit(images, Int32Array.from(picked, (i) => split.labels[i]!), split.shape, split.classNames);
}

async function trainPhase(model: Module, train: ImageSplit, validation: ImageSplit, flags: FinetuneFlags, epochs: number, lr: number, seed: number): Promise<History> {
  const optimizer = optimizers.adamW({ learningRate: lr, weightDecay: 1e-4, groups: optimizers.noDecayGroups() });
  try {
    return await fit(model, trainBatches(train, flags.dataset, flags.batchSize, seed), {
      loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }),
      optimizer,
      epochs,
      validation: evalBatches(validation),
      metrics: { accuracy: accuracy() },
      seed,
      verbose: 2,
    });
  } finally {
    optimizer.dispose();
  }
}

/** Fine-tunes the backbone of `--from` on few labels, trains the same network from scratch, and compares them on the test split. */
export async function finetune(flags: FinetuneFlags): Promise<{ dir: string; transfer: number; scratch: number }> {
  const backend = await selectBackend(flags.backend);
  const source = await loadWeights(flags.from);
  const data = await loadData(flags.dataset, undefined, flags.classes);
  const labelled = balancedSubset(data.train, flags.labels, flags.seed);
  const dir = flags.out ?? join('runs', `${flags.dataset}-finetune-${flags.labels}`);
  const how = source.config.pretraining === 'autoencoder' ? 'pretrained as an autoencoder on the unlabelled images of' : 'trained on';
  const sourceClasses = source.config.classes === undefined ? '' : ` classes ${source.config.classes.join(',')}`;
  const targetClasses = flags.classes === undefined ? '' : ` (classes ${flags.classes.join(',')})`;
  console.log(
    `${flags.dataset}${targetClasses}: ${labelled.count} labelled train images, ${data.test.count} test; backbone of ${flags.from} ` +
      `(${source.config.spec.architecture} ${how} ${source.config.dataset}${sourceClasses}); backend ${backend}`,
  );
  const spec = { ...source.config.spec, classes: data.classNames.length };

  // Transfer: the backbone's weights, a new head, phase 1 frozen, phase 2 the last block open.
  const model = buildModel(spec, rng(flags.seed));
  if (!(model instanceof BackboneModel)) {
    throw new Error(`finetune: --from expected a run of a convolutional network (lenet5 or resnet), got ${spec.architecture}`);
  }
  const base = new Set(model.baseKeys);
  const isBase = (name: string): boolean => base.has(name.split('.')[0]!);
  const backbone = Object.fromEntries(Object.entries(source.tensors).filter(([name]) => isBase(name)));
  let report;
  try {
    report = model.loadState(backbone, { strict: false });
  } finally {
    for (const t of Object.values(source.tensors)) t.dispose();
  }
  const unloaded = report.missing.filter(isBase);
  if (unloaded.length > 0) {
    model.dispose();
    throw new Error(`finetune: --from '${flags.from}' expected every backbone tensor of ${spec.architecture}, got none for ${unloaded.join(', ')}`);
  }
  console.log(`loaded ${report.loaded.length} backbone tensors; left to train: ${report.missing.join(', ')}`);
  const lastBlock = model.baseKeys.filter((key) => Object.keys(model.parameters()).some((p) => p.startsWith(`${key}.`))).at(-1)!;
  model.freeze({ upTo: model.baseKeys.at(-1)! });
  console.log(`phase 1: head only, ${flags.headEpochs} epochs`);
  const head = await trainPhase(model, labelled, data.validation, flags, flags.headEpochs, flags.lr, flags.seed);
  model.unfreeze(lastBlock);
  const tuneLr = flags.lr * (flags.tuneRate ?? 0.1);
  console.log(`phase 2: head and '${lastBlock}', ${flags.tuneEpochs} epochs at ${tuneLr.toPrecision(3)}`);
  const tune = await trainPhase(model, labelled, data.validation, flags, flags.tuneEpochs, tuneLr, flags.seed + 1);
  const transfer = (await evaluateTest(model, data)).figures.accuracy;

  // From scratch: same network, same labels, the same number of epochs, everything trainable.
  const scratchModel = buildModel(spec, rng(flags.seed));
  console.log(`from scratch: ${flags.headEpochs + flags.tuneEpochs} epochs`);
  const scratchHistory = await trainPhase(scratchModel, labelled, data.validation, flags, flags.headEpochs + flags.tuneEpochs, flags.lr, flags.seed);
  const scratch = (await evaluateTest(scratchModel, data)).figures.accuracy;
  scratchModel.dispose();

  await mkdir(dir, { recursive: true });
  const config: RunConfig = {
    dataset: flags.dataset,
    spec,
    classNames: [...data.classNames],
    epochs: flags.headEpochs + flags.tuneEpochs,
    batchSize: flags.batchSize,
    lr: flags.lr,
    weightDecay: 1e-4,
    warmupEpochs: 0,
    patience: 0,
    ...(flags.classes === undefined ? {} : { classes: flags.classes }),
    seed: flags.seed,
    finetunedFrom: flags.from,
    labels: labelled.count,
  };
  await writeFile(join(dir, RUN_CONFIG), `${JSON.stringify(config, null, 2)}\n`);
  await saveModel(dir, model);
  const comparison = {
    title: 'Transfer against training from scratch',
    note: `Both on the same ${labelled.count} labelled images and the same test split.`,
    html: `<p>fine-tuned backbone: <b>${(transfer * 100).toFixed(2)} %</b>; from scratch: <b>${(scratch * 100).toFixed(2)} %</b></p>`,
  };
  await writeRunReport(dir, model, data, config, [
    comparison,
    ...historySections(head, 'Phase 1 (head only)'),
    ...historySections(tune, 'Phase 2 (last block unfrozen)'),
    ...historySections(scratchHistory, 'From scratch'),
  ]);
  model.dispose();
  console.log(`test accuracy with ${labelled.count} labels: fine-tuned ${(transfer * 100).toFixed(2)} %, from scratch ${(scratch * 100).toFixed(2)} %`);
  console.log(`report: ${join(dir, 'report.html')}`);
  if (tf.memory().numTensors > 0) console.log(`(tensors still alive: ${tf.memory().numTensors})`);
  return { dir, transfer, scratch };
}

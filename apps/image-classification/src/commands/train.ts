// `image-classification train`: trains a network on MNIST or Fashion-MNIST and writes a run folder.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng, tf } from '@tensorloom/core';
import { accuracy } from '@tensorloom/metrics';
import { callbacks, fit, losses, optimizers, schedules } from '@tensorloom/train';
import type { History } from '@tensorloom/train';
import { fileSink, fileStore } from '@tensorloom/train/node';
import { buildModel } from '../architectures.js';
import type { Architecture, ModelSpec } from '../architectures.js';
import type { BackendFlag } from '@tensorloom/app-kit';
import { selectBackend } from '@tensorloom/app-kit';
import { evalBatches, loadData, trainBatches } from '../data.js';
import { historySections } from '../curves.js';
import { writeRunReport } from '../run-report.js';
import { RUN_CONFIG, saveModel } from '../run-folder.js';
import type { RunConfig } from '../run-folder.js';

/** The flags of `train`: the settings `config.json` keeps, plus the model, backend and folders. */
export interface TrainFlags extends Omit<RunConfig, 'spec' | 'classNames' | 'finetunedFrom' | 'labels' | 'pretraining'> {
  model: Architecture;
  /** ResNet only: depth 6n + 2. */
  depth?: number;
  /** ResNet only: channels of the first stage. */
  width?: number;
  backend: BackendFlag;
  out?: string;
  resume?: string;
}

/** Trains, evaluates on the test split and writes the run folder; returns the folder and test accuracy. */
export async function train(flags: TrainFlags): Promise<{ dir: string; accuracy: number }> {
  let config: RunConfig;
  let dir: string;
  if (flags.resume !== undefined) {
    // A resumed run takes every setting from its folder: the same run, continued.
    dir = flags.resume;
    config = JSON.parse(await readFile(join(dir, RUN_CONFIG), 'utf8')) as RunConfig;
  } else {
    dir = flags.out ?? join('runs', `${flags.dataset}-${flags.model}`);
    const { backend: _backend, out: _out, resume: _resume, depth, width, ...settings } = flags;
    const spec: ModelSpec = {
      architecture: flags.model,
      classes: flags.classes?.length ?? 10,
      inputShape: [28, 28, 1],
      ...(flags.model === 'resnet' ? { depth: depth ?? 20, width: width ?? 16 } : {}),
    };
    config = { ...settings, spec, classNames: [] };
  }
  const backend = await selectBackend(flags.backend);
  const data = await loadData(config.dataset, config.limit, config.classes);
  config.classNames = [...data.classNames];
  console.log(
    `${config.dataset}: ${data.train.count} train / ${data.validation.count} validation / ${data.test.count} test images; ` +
      `${config.spec.architecture}; backend ${backend}`,
  );

  const model = buildModel(config.spec, rng(config.seed));
  const stepsPerEpoch = Math.ceil(data.train.count / config.batchSize);
  const total = stepsPerEpoch * config.epochs;
  const warmup = Math.min(total - 1, Math.round(stepsPerEpoch * config.warmupEpochs));
  // AdamW with linear warmup then cosine decay to 0; no weight decay on biases and norms.
  const optimizer = optimizers.adamW({
    learningRate: schedules.linearWarmup({ steps: warmup, then: schedules.cosine({ initial: config.lr, steps: total - warmup }) }),
    weightDecay: config.weightDecay,
    groups: optimizers.noDecayGroups(),
  });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, RUN_CONFIG), `${JSON.stringify(config, null, 2)}\n`);

  const store = fileStore(join(dir, 'checkpoints'));
  const history: History = await fit(model, trainBatches(data.train, config.dataset, config.batchSize, config.seed), {
    loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    optimizer,
    epochs: config.epochs,
    validation: evalBatches(data.validation),
    metrics: { accuracy: accuracy() },
    seed: config.seed,
    verbose: 1,
    resumeFrom: flags.resume === undefined ? undefined : store,
    callbacks: [
      callbacks.earlyStopping({ monitor: 'val.accuracy', patience: config.patience, restoreBestWeights: true }),
      callbacks.checkpoint({ store, every: { epochs: 1 }, keepLast: 2 }),
      callbacks.jsonlLogger({ sink: fileSink(join(dir, 'log.jsonl'), { append: flags.resume !== undefined }) }),
    ],
  });

  await saveModel(dir, model);
  const figures = await writeRunReport(dir, model, data, config, historySections(history));
  console.log(`test accuracy ${(figures.accuracy * 100).toFixed(2)} % (macro F1 ${figures.macroF1.toFixed(4)}, ECE ${figures.ece.toFixed(4)}) on ${figures.count} images`);
  console.log(`report: ${join(dir, 'report.html')}`);
  model.dispose();
  optimizer.dispose();
  if (tf.memory().numTensors > 0) {
    // Nothing should be left: every batch, metric input and checkpoint copy is disposed.
    console.log(`(tensors still alive: ${tf.memory().numTensors})`);
  }
  return { dir, accuracy: figures.accuracy };
}


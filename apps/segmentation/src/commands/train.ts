// `segmentation train`: trains a U-Net on the composited MNIST canvases and writes a run folder.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { rng, tf } from '@tensorloom/core';
import { selectBackend } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { meanIoU } from '@tensorloom/metrics';
import { callbacks, fit, optimizers, reportSvg, schedules, trainStep } from '@tensorloom/train';
import type { Batch, FitStep, Loss, Optimizer } from '@tensorloom/train';
import type { UNet } from '@tensorloom/models';
import { fileSink, fileStore } from '@tensorloom/train/node';
import { evalBatches, loadData, trainBatches } from '../data.js';
import { diceCrossEntropy } from '../loss.js';
import { buildUNet } from '../model.js';
import type { SegmentationSpec } from '../model.js';
import { loadConfig, saveConfig, saveModel } from '../run-folder.js';
import type { RunConfig } from '../run-folder.js';
import { writeRunReport } from '../run-report.js';
import type { SegmentationFigures } from '../evaluation.js';

/** The flags of `train`. */
export interface TrainFlags {
  epochs: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  warmupEpochs: number;
  patience: number;
  baseFilters: number;
  depth: number;
  limit?: number;
  backend: BackendFlag;
  seed: number;
  out?: string;
  resume?: string;
}

/**
 * The training step: train's `trainStep` (gradients → update) on the Dice + cross-entropy
 * loss, the logits kept for the running mean IoU. fit's default step does the same for one
 * of train's losses, but it checks the first batch's labels by the loss's name and takes
 * any other loss to want targets shaped like the logits (`[b, h, w, 11]`), where this one
 * takes the pixel labels `[b, h, w]`; as a custom step the labels reach the loss as they are.
 */
function segmentationStep(model: UNet, loss: Loss, optimizer: Optimizer): FitStep {
  let logits: tf.Tensor | null = null;
  const inner = trainStep<Batch>({
    model,
    optimizer,
    loss: (batch) => {
      const yPred = model.apply(batch.x as tf.Tensor, { training: true });
      logits = tf.keep(yPred);
      return loss(batch.y as tf.Tensor, yPred) as tf.Scalar;
    },
  });
  return {
    optimizers: { optimizer },
    run: (batch) => {
      const out = inner(batch);
      const yPred = logits!;
      logits = null;
      return { loss: out.loss, yPred };
    },
    getState: () => inner.getState(),
    setState: (state) => inner.setState(state),
    dispose: () => inner.dispose(),
  };
}

/** Trains, evaluates on the test canvases and writes the run folder; returns the folder and the test figures. */
export async function train(flags: TrainFlags): Promise<{ dir: string; figures: SegmentationFigures }> {
  let config: RunConfig;
  let dir: string;
  if (flags.resume !== undefined) {
    // A resumed run takes every setting from its folder: the same run, continued.
    dir = flags.resume;
    config = await loadConfig(dir);
  } else {
    dir = flags.out ?? join('runs', `segmentation-unet${flags.depth}-${flags.baseFilters}`);
    const spec: SegmentationSpec = { depth: flags.depth, baseFilters: flags.baseFilters, classes: 11, inputShape: [64, 64, 1] };
    const { backend: _backend, out: _out, resume: _resume, baseFilters: _b, depth: _d, ...settings } = flags;
    config = { ...settings, spec, classNames: [] };
  }
  const backend = await selectBackend(flags.backend);
  const model = buildUNet(config.spec, rng(config.seed)); // before the data: a bad --depth fails at once
  const data = await loadData(config.limit);
  config.classNames = [...data.classNames];
  const parameters = Object.values(model.parameters()).reduce((n, p) => n + p.size, 0);
  console.log(
    `mnistSegmentation: ${data.train.count} train / ${data.validation.count} validation / ${data.test.count} test canvases; ` +
      `U-Net depth ${config.spec.depth}, ${config.spec.baseFilters} base filters (${parameters.toLocaleString('en')} parameters); backend ${backend}`,
  );

  const stepsPerEpoch = Math.ceil(data.train.count / config.batchSize);
  const total = stepsPerEpoch * config.epochs;
  const warmup = Math.min(total - 1, Math.round(stepsPerEpoch * config.warmupEpochs));
  // AdamW with linear warmup then cosine decay to 0; no weight decay on biases and norms.
  const optimizer = optimizers.adamW({
    learningRate:
      warmup === 0
        ? schedules.cosine({ initial: config.lr, steps: total })
        : schedules.linearWarmup({ steps: warmup, then: schedules.cosine({ initial: config.lr, steps: total - warmup }) }),
    weightDecay: config.weightDecay,
    groups: optimizers.noDecayGroups(),
  });
  await mkdir(dir, { recursive: true });
  await saveConfig(dir, config);

  const store = fileStore(join(dir, 'checkpoints'));
  const history = await fit(model, trainBatches(data.train, config.batchSize, config.seed), {
    step: segmentationStep(model, diceCrossEntropy(config.spec.classes), optimizer),
    epochs: config.epochs,
    validation: evalBatches(data.validation),
    metrics: { meanIoU: meanIoU({ numClasses: config.spec.classes }) },
    seed: config.seed,
    verbose: 1,
    resumeFrom: flags.resume === undefined ? undefined : store,
    callbacks: [
      callbacks.earlyStopping({ monitor: 'val.meanIoU', patience: config.patience, restoreBestWeights: true }),
      callbacks.checkpoint({ store, every: { epochs: 1 }, keepLast: 2 }),
      callbacks.jsonlLogger({ sink: fileSink(join(dir, 'log.jsonl'), { append: flags.resume !== undefined }) }),
    ],
  });

  await saveModel(dir, model, config.spec);
  const curves = [
    {
      title: 'Training',
      note:
        'Train loss (Dice + cross-entropy) per step (light) and per epoch; the learning rate; mean IoU over all 11 classes, ' +
        'running over each train epoch and on the held-out 10 % of the train canvases after it (validation tracks the IoU, not the loss).',
      html: reportSvg(history, { title: 'Training' }),
    },
  ];
  const figures = await writeRunReport(dir, model, data, config, curves);
  console.log(
    `test mean IoU over the 10 digits ${figures.meanIoUDigits.toFixed(4)}, over all 11 classes ${figures.meanIoUAll.toFixed(4)}, ` +
      `pixel accuracy ${(figures.pixelAccuracy * 100).toFixed(2)} % on ${figures.count} canvases`,
  );
  console.log(`report: ${join(dir, 'report.html')}`);
  model.dispose();
  optimizer.dispose();
  if (tf.memory().numTensors > 0) console.log(`(tensors still alive: ${tf.memory().numTensors})`);
  return { dir, figures };
}

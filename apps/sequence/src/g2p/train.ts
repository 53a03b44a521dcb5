// `sequence g2p train`: trains a transformer (or LSTM) encoder–decoder on CMUdict with
// teacher forcing, decodes the test words with beam search and writes the run folder.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng, tf } from '@tensorloom/core';
import { reportHtml, selectBackend, withReproducibleKernels } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { callbacks, fit, losses, optimizers, reportSvg, schedules } from '@tensorloom/train';
import { fileSink, fileStore } from '@tensorloom/train/node';
import { PAD, g2pBatches, loadG2P } from './data.js';
import { g2pFigures, g2pSections, predictPhonemes } from './evaluation.js';
import type { G2PFigures } from './evaluation.js';
import { buildG2PModel } from './models.js';
import type { G2PModelName } from './models.js';
import { readG2PConfig, saveG2PModel, writeG2PConfig } from './run-folder.js';
import type { G2PRunConfig } from './run-folder.js';

/** The flags of `sequence g2p train`. */
export interface G2PTrainFlags {
  model: G2PModelName;
  width: number;
  layers: number;
  epochs: number;
  batchSize: number;
  lr: number;
  beam: number;
  limit?: number;
  backend: BackendFlag;
  seed: number;
  out?: string;
  resume?: string;
}

/** Trains a g2p model; returns the run folder and its test figures. */
export async function trainG2P(flags: G2PTrainFlags): Promise<{ dir: string; figures: G2PFigures }> {
  let config: G2PRunConfig;
  let dir: string;
  if (flags.resume !== undefined) {
    // A resumed run takes every setting from its folder: the same run, continued.
    dir = flags.resume;
    config = await readG2PConfig(dir);
  } else {
    dir = flags.out ?? join('runs', `g2p-${flags.model}`);
    const { model, width, layers, limit, backend: _backend, out: _out, resume: _resume, ...rest } = flags;
    config = { spec: { model, width, layers }, ...rest, ...(limit === undefined ? {} : { limit }) };
  }
  const backend = await selectBackend(flags.backend);
  const data = await loadG2P(config.limit);
  console.log(
    `CMUdict (stress stripped, alphabetic words): ${data.train.length} train / ${data.validation.length} validation pronunciations, ` +
      `${data.test.length} test words; ${config.spec.model} width ${config.spec.width}; backend ${backend}`,
  );
  const model = buildG2PModel(config.spec, rng(config.seed));
  await mkdir(dir, { recursive: true });
  await writeG2PConfig(dir, config);
  const steps = Math.ceil(data.train.length / config.batchSize) * config.epochs;
  const warmup = Math.min(steps - 1, Math.max(1, Math.round(steps * 0.05)));
  // AdamW with linear warmup over the first 5 % of the steps, then cosine decay to 0.
  const optimizer = optimizers.adamW({
    learningRate: schedules.linearWarmup({ steps: warmup, then: schedules.cosine({ initial: config.lr, steps: steps - warmup }) }),
    weightDecay: 1e-2,
    groups: optimizers.noDecayGroups(),
  });
  const store = fileStore(join(dir, 'checkpoints'));
  // Teacher forcing: the model reads `<s> p1 … pn` and is scored on `p1 … pn </s>`; pads are ignored.
  const history = await fit(model, g2pBatches(data.train, config.batchSize, true), {
    loss: losses.sparseCategoricalCrossentropy({ fromLogits: true, ignoreIndex: PAD }),
    optimizer,
    epochs: config.epochs,
    validation: g2pBatches(data.validation, 256, false),
    seed: config.seed,
    verbose: 1,
    clip: { globalNorm: 1 },
    batchShapes: 'varying', // length buckets: each batch padded only to its own longest pair
    resumeFrom: flags.resume === undefined ? undefined : store,
    callbacks: [
      callbacks.checkpoint({ store, every: { epochs: 1 }, keepLast: 2 }),
      callbacks.jsonlLogger({ sink: fileSink(join(dir, 'log.jsonl'), { append: flags.resume !== undefined }) }),
    ],
  });
  await saveG2PModel(dir, model);
  // Decoded with native's kernel path fixed by shape, so `evaluate` reproduces the figures exactly.
  const predictions = await withReproducibleKernels(() => predictPhonemes(model, data.test.map((w) => w.word), config.beam));
  const figures = g2pFigures(data.test, predictions, config.beam);
  await writeFile(join(dir, 'metrics.json'), `${JSON.stringify(figures, null, 2)}\n`);
  const summary =
    `${config.spec.model} on CMUdict (stress stripped, 39 phonemes), beam ${config.beam}: test PER <b>${(figures.per * 100).toFixed(2)} %</b>, ` +
    `WER <b>${(figures.wer * 100).toFixed(2)} %</b> on ${figures.words} words.`;
  await writeFile(
    join(dir, 'report.html'),
    reportHtml('Grapheme-to-phoneme — CMUdict', summary, [
      { title: 'Training', note: 'Loss: cross-entropy per target phoneme (teacher forcing), pads ignored.', html: reportSvg(history, { title: 'Training' }) },
      ...g2pSections(data.test, predictions, figures),
    ]),
  );
  console.log(`test PER ${(figures.per * 100).toFixed(2)} %, WER ${(figures.wer * 100).toFixed(2)} % on ${figures.words} words (beam ${config.beam})`);
  console.log(`report: ${join(dir, 'report.html')}`);
  model.dispose();
  optimizer.dispose();
  if (tf.memory().numTensors > 0) console.log(`(tensors still alive: ${tf.memory().numTensors})`);
  return { dir, figures };
}

// `sequence spam train`: fits the tokenizer on the training messages, trains the classifier,
// evaluates on the test split and writes the run folder.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng, tf } from '@tensorloom/core';
import { reportHtml, selectBackend, withReproducibleKernels } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { f1Score } from '@tensorloom/metrics';
import { callbacks, fit, losses, optimizers, reportSvg, schedules } from '@tensorloom/train';
import { fileSink, fileStore } from '@tensorloom/train/node';
import { encodeMessages, fitTokenizer, loadSpam, spamBatches, tokenizerFromJSON } from './data.js';
import type { TokenizerKind } from './data.js';
import { spamFigures, spamProbabilities, spamSections } from './evaluation.js';
import type { SpamFigures } from './evaluation.js';
import { buildSpamModel } from './models.js';
import type { SpamModelName, SpamModelSpec } from './models.js';
import { readSpamConfig, saveSpamRun, writeSpamConfig } from './run-folder.js';
import type { SpamRunConfig } from './run-folder.js';

/** The flags of `sequence spam train`. */
export interface SpamTrainFlags {
  model: SpamModelName;
  tokenizer: TokenizerKind;
  vocabSize: number;
  maxLen: number;
  epochs: number;
  batchSize: number;
  lr: number;
  limit?: number;
  backend: BackendFlag;
  seed: number;
  out?: string;
  /** Continue the run in this folder from its last checkpoint, with the folder's own settings. */
  resume?: string;
}

/** Trains a spam classifier; returns the run folder and its test figures. */
export async function trainSpam(given: SpamTrainFlags): Promise<{ dir: string; figures: SpamFigures }> {
  // A resumed run takes every setting and the fitted tokenizer from its folder: the same run, continued.
  const saved = given.resume === undefined ? null : await readSpamConfig(given.resume);
  const flags: SpamTrainFlags =
    saved === null
      ? given
      : {
          ...given, model: saved.spec.model, tokenizer: saved.tokenizer, maxLen: saved.spec.maxLen, epochs: saved.epochs,
          batchSize: saved.batchSize, lr: saved.lr, seed: saved.seed, ...(saved.limit === undefined ? {} : { limit: saved.limit }),
        };
  const backend = await selectBackend(flags.backend);
  const data = await loadSpam(flags.limit);
  const tokenizer = saved === null ? fitTokenizer(flags.tokenizer, data.train.map((m) => m.text), flags.vocabSize) : tokenizerFromJSON(saved.tokenizerJSON);
  const spec: SpamModelSpec = { model: flags.model, vocabSize: tokenizer.vocabulary.size, maxLen: flags.maxLen };
  console.log(
    `SpamAssassin: ${data.train.length} train / ${data.validation.length} validation / ${data.test.length} test messages; ` +
      `${flags.tokenizer} tokenizer, ${spec.vocabSize} tokens, first ${flags.maxLen} kept; ${flags.model}; backend ${backend}`,
  );
  const encode = (messages: typeof data.train): { ids: Int32Array[]; labels: number[] } => ({
    ids: encodeMessages(tokenizer, messages, flags.maxLen),
    labels: messages.map((m) => m.label),
  });
  const [train, validation, test] = [encode(data.train), encode(data.validation), encode(data.test)];
  const model = buildSpamModel(spec, rng(flags.seed));
  const dir = given.resume ?? flags.out ?? join('runs', `spam-${flags.model}-${flags.tokenizer}`);
  await mkdir(dir, { recursive: true });
  const { limit: _limit, backend: _backend, out: _out, resume: _resume, vocabSize: _vocabSize, maxLen: _maxLen, model: _model, tokenizer: _tok, ...rest } = flags;
  const config: SpamRunConfig = { ...rest, spec, tokenizer: flags.tokenizer, tokenizerJSON: (tokenizer as unknown as { toJSON(): unknown }).toJSON(), ...(flags.limit === undefined ? {} : { limit: flags.limit }) };
  if (saved === null) await writeSpamConfig(dir, config);
  const store = fileStore(join(dir, 'checkpoints'));
  const steps = Math.ceil(data.train.length / flags.batchSize) * flags.epochs;
  const optimizer = optimizers.adamW({
    learningRate: schedules.linearWarmup({ steps: Math.min(100, steps - 1), then: schedules.cosine({ initial: flags.lr, steps }) }),
    weightDecay: 1e-4,
    groups: optimizers.noDecayGroups(),
  });
  const history = await fit(model, spamBatches(train.ids, train.labels, flags.maxLen, flags.batchSize, true), {
    loss: losses.sparseCategoricalCrossentropy({ fromLogits: true }),
    optimizer,
    epochs: flags.epochs,
    validation: spamBatches(validation.ids, validation.labels, flags.maxLen, 128, false),
    metrics: { f1: f1Score() },
    seed: flags.seed,
    verbose: 1,
    clip: { globalNorm: 1 },
    batchShapes: 'varying', // each batch padded only to its own longest message (data.ts)
    resumeFrom: saved === null ? undefined : store,
    callbacks: [
      callbacks.earlyStopping({ monitor: 'val.loss', patience: 2, restoreBestWeights: true }),
      callbacks.checkpoint({ store, every: { epochs: 1 }, keepLast: 2 }),
      callbacks.jsonlLogger({ sink: fileSink(join(dir, 'log.jsonl'), { append: saved !== null }) }),
    ],
  });
  await saveSpamRun(dir, saved ?? config, model);
  // Kernels fixed by shape on native, so `evaluate` in another process computes the same bits.
  const probabilities = await withReproducibleKernels(() => spamProbabilities(model, test.ids, flags.maxLen));
  const figures = spamFigures(test.labels, probabilities);
  await writeFile(join(dir, 'metrics.json'), `${JSON.stringify(figures, null, 2)}\n`);
  const summary = `${flags.model} with a ${flags.tokenizer} tokenizer on SpamAssassin: test F1 <b>${figures.f1.toFixed(4)}</b>, accuracy ${(figures.accuracy * 100).toFixed(2)} %, ROC-AUC ${figures.rocAuc.toFixed(4)}.`;
  await writeFile(
    join(dir, 'report.html'),
    reportHtml('Spam filtering — SpamAssassin', summary, [
      { title: 'Training', html: reportSvg(history, { title: 'Training' }) },
      ...spamSections(test.labels, probabilities, figures),
    ]),
  );
  console.log(`test F1 ${figures.f1.toFixed(4)}, precision ${figures.precision.toFixed(4)}, recall ${figures.recall.toFixed(4)}, accuracy ${(figures.accuracy * 100).toFixed(2)} %, ROC-AUC ${figures.rocAuc.toFixed(4)} on ${figures.count} messages`);
  console.log(`report: ${join(dir, 'report.html')}`);
  model.dispose();
  optimizer.dispose();
  if (tf.memory().numTensors > 0) console.log(`(tensors still alive: ${tf.memory().numTensors})`);
  return { dir, figures };
}

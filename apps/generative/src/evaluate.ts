// `generative evaluate --run <folder>`: reloads a run, reproduces its test figure (the VAE's
// negative ELBO) and scores its samples with an image-classification run's classifier, then
// writes metrics.json and the report again.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { rng } from '@tensorloom/core';
import { selectBackend, withReproducibleKernels } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { RunFolderError, loadClassifier } from './classifier.js';
import { negativeElbo } from './evaluation.js';
import { writeReport } from './report.js';
import type { RunMetrics } from './report.js';
import { RUN_METRICS, loadRun } from './run-folder.js';
import { formatScores, scoreGenerator } from './scoring.js';
import { loadSplits } from './train.js';

/** The flags of `generative evaluate`. */
export interface EvaluateFlags {
  run: string;
  classifier: string;
  samples: number;
  seed: number;
  backend: BackendFlag;
}

/** Evaluates a run folder; returns its figures and whether the VAE's test figure equals the saved one exactly. */
export async function evaluateRun(flags: EvaluateFlags): Promise<{ metrics: RunMetrics; reproduced: boolean | null }> {
  const backend = await selectBackend(flags.backend);
  const run = await loadRun(flags.run);
  const { config } = run;
  let classifier;
  try {
    classifier = await loadClassifier(flags.classifier);
    if (classifier.config.dataset !== config.dataset) {
      classifier.dispose();
      throw new RunFolderError(`--classifier '${flags.classifier}': expected a classifier of ${config.dataset} (the run's data set), got one of ${classifier.config.dataset}`);
    }
  } catch (error) {
    run.dispose();
    throw error;
  }
  const data = await loadSplits(config.dataset, config.limit);
  console.log(`${config.model} on ${config.dataset}, backend ${backend}; classifier ${classifier.config.spec.architecture} of ${flags.classifier}`);
  let saved: RunMetrics;
  try {
    saved = JSON.parse(await readFile(join(flags.run, RUN_METRICS), 'utf8')) as RunMetrics;
  } catch {
    saved = {};
  }
  const metrics: RunMetrics = {};
  let reproduced: boolean | null = null;
  if (config.model === 'vae') {
    // the same latent noise as train drew (rng(seed).fold('elbo')), so the same figure on the same backend
    metrics.testNegativeElbo = await withReproducibleKernels(() =>
      negativeElbo(run.modules.encoder!, run.modules.decoder!, data.test, config.latent, rng(config.seed).fold('elbo')),
    );
    metrics.testImages = data.test.count;
    reproduced = saved.testNegativeElbo === metrics.testNegativeElbo;
    console.log(
      `test negative ELBO ${metrics.testNegativeElbo.toFixed(4)} nats per image on ${data.test.count} images` +
        (saved.testNegativeElbo === undefined
          ? ''
          : reproduced
            ? ` (equal to the run's ${RUN_METRICS})`
            : ` (the run's ${RUN_METRICS} says ${saved.testNegativeElbo.toFixed(4)}: another backend rounds differently)`),
    );
  }
  metrics.scores = scoreGenerator(run.decode, config.latent, flags.samples, rng(flags.seed).fold('score'), classifier, data, flags.seed);
  console.log(formatScores(metrics.scores, config.model === 'vae' ? 'VAE samples' : 'GAN samples'));
  classifier.dispose();
  run.dispose();
  await writeFile(join(flags.run, RUN_METRICS), `${JSON.stringify(metrics, null, 2)}\n`);
  console.log(`report: ${await writeReport(flags.run, config)}`);
  return { metrics, reproduced };
}

// `sequence spam evaluate --run <folder>`: reloads the classifier and reproduces its test figures.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend, withReproducibleKernels } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { encodeMessages, loadSpam } from './data.js';
import { spamFigures, spamProbabilities } from './evaluation.js';
import type { SpamFigures } from './evaluation.js';
import { loadSpamRun } from './run-folder.js';

/** Evaluates the run on the test split; `reproduced` says whether the figures equal metrics.json exactly. */
export async function evaluateSpam(flags: { run: string; backend: BackendFlag }): Promise<{ figures: SpamFigures; reproduced: boolean }> {
  await selectBackend(flags.backend);
  const { config, tokenizer, model } = await loadSpamRun(flags.run);
  const { test } = await loadSpam(config.limit);
  const ids = encodeMessages(tokenizer, test, config.spec.maxLen);
  const probabilities = await withReproducibleKernels(() => spamProbabilities(model, ids, config.spec.maxLen));
  const figures = spamFigures(test.map((m) => m.label), probabilities);
  model.dispose();
  const saved = JSON.parse(await readFile(join(flags.run, 'metrics.json'), 'utf8')) as SpamFigures;
  const reproduced = JSON.stringify(saved) === JSON.stringify(figures);
  console.log(
    `${config.spec.model}: test F1 ${figures.f1.toFixed(4)}, precision ${figures.precision.toFixed(4)}, recall ${figures.recall.toFixed(4)}, ` +
      `accuracy ${(figures.accuracy * 100).toFixed(2)} %, ROC-AUC ${figures.rocAuc.toFixed(4)} on ${figures.count} messages; ` +
      (reproduced ? "equal to the run's metrics.json" : "differs from the run's metrics.json (another backend or thread count rounds differently)"),
  );
  return { figures, reproduced };
}

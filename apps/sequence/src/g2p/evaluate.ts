// `sequence g2p evaluate --run <folder>`: reloads the model, decodes the test words again and
// reproduces metrics.json.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend, withReproducibleKernels } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { loadG2P } from './data.js';
import { g2pFigures, predictPhonemes } from './evaluation.js';
import type { G2PFigures } from './evaluation.js';
import { loadG2PRun } from './run-folder.js';

/** Evaluates the run on the test words; `reproduced` says whether the figures equal metrics.json exactly. */
export async function evaluateG2P(flags: { run: string; backend: BackendFlag }): Promise<{ figures: G2PFigures; reproduced: boolean }> {
  await selectBackend(flags.backend);
  const { config, model } = await loadG2PRun(flags.run);
  const { test } = await loadG2P(config.limit);
  const predictions = await withReproducibleKernels(() => predictPhonemes(model, test.map((w) => w.word), config.beam));
  const figures = g2pFigures(test, predictions, config.beam);
  model.dispose();
  const saved = JSON.parse(await readFile(join(flags.run, 'metrics.json'), 'utf8')) as G2PFigures;
  const reproduced = JSON.stringify(saved) === JSON.stringify(figures);
  console.log(
    `${config.spec.model}: test PER ${(figures.per * 100).toFixed(2)} %, WER ${(figures.wer * 100).toFixed(2)} % on ${figures.words} words ` +
      `(beam ${config.beam}; a word is right if it matches any of its pronunciations); ` +
      (reproduced ? "equal to the run's metrics.json" : "differs from the run's metrics.json (another backend rounds differently)"),
  );
  return { figures, reproduced };
}

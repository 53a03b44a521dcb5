// Evaluates a trained model on the test split and writes metrics.json and report.html.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Module } from '@tensorloom/layers';
import type { RunData } from './data.js';
import { predictProbabilities, testFigures, testSections } from './evaluation.js';
import type { TestFigures } from './evaluation.js';
import { reportHtml, withReproducibleKernels } from '@tensorloom/app-kit';
import type { ReportSection } from '@tensorloom/app-kit';
import { RUN_METRICS } from './run-folder.js';
import type { RunConfig } from './run-folder.js';

/**
 * Test figures of the model on the run's test split (what `evaluate` reproduces): on native,
 * with the kernel path fixed by shape, so every process computes the same bits.
 */
export async function evaluateTest(model: Module, data: Pick<RunData, 'test'>): Promise<{ figures: TestFigures; probabilities: Float32Array }> {
  const probabilities = await withReproducibleKernels(() => predictProbabilities(model, data.test));
  return { figures: testFigures(data.test, probabilities), probabilities };
}

/**
 * Writes `metrics.json` and `report.html` (training curves first, then the test sections)
 * and returns the test figures.
 */
export async function writeRunReport(
  dir: string,
  model: Module,
  data: RunData,
  config: RunConfig,
  curves: ReportSection[],
): Promise<TestFigures> {
  const { figures, probabilities } = await evaluateTest(model, data);
  await writeFile(join(dir, RUN_METRICS), `${JSON.stringify(figures, null, 2)}\n`);
  const summary =
    `${config.spec.architecture} on ${config.dataset} (${data.train.count} train / ${data.validation.count} validation / ${data.test.count} test images), ` +
    `seed ${config.seed}: test accuracy <b>${(figures.accuracy * 100).toFixed(2)} %</b>, macro F1 ${figures.macroF1.toFixed(4)}, ` +
    `expected calibration error ${figures.ece.toFixed(4)}.`;
  const sections = [...curves, ...testSections(model, data.test, probabilities, figures)];
  await writeFile(join(dir, 'report.html'), reportHtml(`Image classification — ${config.dataset}`, summary, sections));
  return figures;
}

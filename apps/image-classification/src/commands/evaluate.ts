// `image-classification evaluate --run <folder>`: reloads a run's model and reproduces its test figures.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatTable } from '@tensorloom/metrics';
import type { BackendFlag } from '@tensorloom/app-kit';
import { selectBackend } from '@tensorloom/app-kit';
import { loadData } from '../data.js';
import type { TestFigures } from '../evaluation.js';
import { RUN_METRICS, loadRun } from '../run-folder.js';
import { evaluateTest } from '../run-report.js';

/** Evaluates the run's model on its test split; `reproduced` says whether the figures equal metrics.json exactly. */
export async function evaluateRun(flags: { run: string; backend: BackendFlag }): Promise<{ figures: TestFigures; reproduced: boolean }> {
  const backend = await selectBackend(flags.backend);
  const { config, model } = await loadRun(flags.run);
  const data = await loadData(config.dataset, config.limit, config.classes);
  const { figures } = await evaluateTest(model, data);
  model.dispose();
  console.log(`${config.spec.architecture} on ${config.dataset}, backend ${backend}: ${figures.count} test images`);
  console.log(
    formatTable(
      figures.perClass.map((k) => [k.precision, k.recall, k.f1, k.support]),
      { header: ['class', 'precision', 'recall', 'F1', 'support'], rowLabels: figures.perClass.map((k) => k.name) },
    ),
  );
  console.log(`test accuracy ${(figures.accuracy * 100).toFixed(2)} %, macro F1 ${figures.macroF1.toFixed(4)}, ECE ${figures.ece.toFixed(4)}`);
  let saved: TestFigures | undefined;
  try {
    saved = JSON.parse(await readFile(join(flags.run, RUN_METRICS), 'utf8')) as TestFigures;
  } catch {
    saved = undefined;
  }
  const reproduced = saved !== undefined && JSON.stringify(saved) === JSON.stringify(figures);
  console.log(
    saved === undefined
      ? `no ${RUN_METRICS} to compare with`
      : reproduced
        ? `equal to the run's ${RUN_METRICS} (accuracy ${(saved.accuracy * 100).toFixed(2)} %)`
        : `differs from the run's ${RUN_METRICS} (accuracy ${(saved.accuracy * 100).toFixed(2)} %): another backend rounds differently`,
  );
  return { figures, reproduced };
}

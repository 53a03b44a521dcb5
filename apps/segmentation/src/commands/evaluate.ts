// `segmentation evaluate --run <folder>`: reloads a run's U-Net and reproduces its test figures.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatTable } from '@tensorloom/metrics';
import { selectBackend } from '@tensorloom/app-kit';
import type { BackendFlag } from '@tensorloom/app-kit';
import { loadData } from '../data.js';
import type { SegmentationFigures } from '../evaluation.js';
import { RUN_METRICS, loadRun } from '../run-folder.js';
import { evaluateTest } from '../run-report.js';

/** Evaluates the run's model on its test canvases; `reproduced` says whether the figures equal metrics.json exactly. */
export async function evaluateRun(flags: { run: string; backend: BackendFlag }): Promise<{ figures: SegmentationFigures; reproduced: boolean }> {
  const backend = await selectBackend(flags.backend);
  const { config, model } = await loadRun(flags.run);
  const data = await loadData(config.limit);
  const { figures } = await evaluateTest(model, data);
  model.dispose();
  console.log(`U-Net depth ${config.spec.depth}, ${config.spec.baseFilters} base filters, backend ${backend}: ${figures.count} test canvases`);
  console.log(
    formatTable(
      figures.perClass.map((k) => [k.iou, k.truePixels, k.predictedPixels]),
      { header: ['class', 'IoU', 'true pixels', 'predicted pixels'], rowLabels: figures.perClass.map((k) => k.name) },
    ),
  );
  console.log(`mean IoU over the 10 digits ${figures.meanIoUDigits.toFixed(4)}, over all 11 classes ${figures.meanIoUAll.toFixed(4)}, pixel accuracy ${(figures.pixelAccuracy * 100).toFixed(2)} %`);
  let saved: SegmentationFigures | undefined;
  try {
    saved = JSON.parse(await readFile(join(flags.run, RUN_METRICS), 'utf8')) as SegmentationFigures;
  } catch {
    saved = undefined;
  }
  // Compared as JSON text, so a class absent everywhere (IoU NaN, stored as null) compares too.
  const reproduced = saved !== undefined && JSON.stringify(saved) === JSON.stringify(figures);
  console.log(
    saved === undefined
      ? `no ${RUN_METRICS} to compare with`
      : reproduced
        ? `equal to the run's ${RUN_METRICS} (mean IoU over the digits ${saved.meanIoUDigits.toFixed(4)})`
        : `differs from the run's ${RUN_METRICS} (mean IoU over the digits ${saved.meanIoUDigits.toFixed(4)}): another backend rounds differently`,
  );
  return { figures, reproduced };
}

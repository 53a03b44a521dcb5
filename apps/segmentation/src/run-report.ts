// Evaluates a trained U-Net on the test canvases and writes metrics.json and report.html.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Module } from '@tensorloom/layers';
import { reportHtml, withReproducibleKernels } from '@tensorloom/app-kit';
import type { ReportSection } from '@tensorloom/app-kit';
import type { SegmentationData } from './data.js';
import { predictMasks, segmentationFigures, testSections } from './evaluation.js';
import type { SegmentationFigures } from './evaluation.js';
import { RUN_METRICS } from './run-folder.js';
import type { RunConfig } from './run-folder.js';

/**
 * Test figures of the model on the run's test canvases (what `evaluate` reproduces): on native,
 * with the kernel path fixed by shape, so every process computes the same bits.
 */
export async function evaluateTest(model: Module, data: Pick<SegmentationData, 'test'>): Promise<{ figures: SegmentationFigures; predicted: Uint8Array }> {
  const predicted = await withReproducibleKernels(() => predictMasks(model, data.test));
  return { figures: segmentationFigures(data.test, predicted), predicted };
}

/** Writes `metrics.json` and `report.html` (training curves first, then the test sections) and returns the test figures. */
export async function writeRunReport(dir: string, model: Module, data: SegmentationData, config: RunConfig, curves: ReportSection[]): Promise<SegmentationFigures> {
  const { figures, predicted } = await evaluateTest(model, data);
  await writeFile(join(dir, RUN_METRICS), `${JSON.stringify(figures, null, 2)}\n`);
  const { depth, baseFilters } = config.spec;
  const summary =
    `U-Net (depth ${depth}, ${baseFilters} base filters) on mnistSegmentation (${data.train.count} train / ${data.validation.count} validation / ${data.test.count} test canvases of 64×64), ` +
    `seed ${config.seed}: mean IoU over the 10 digit classes <b>${figures.meanIoUDigits.toFixed(4)}</b>, over all 11 classes ${figures.meanIoUAll.toFixed(4)}, ` +
    `pixel accuracy ${(figures.pixelAccuracy * 100).toFixed(2)} %.`;
  const sections = [...curves, ...testSections(data.test, predicted, figures)];
  await writeFile(join(dir, 'report.html'), reportHtml('Segmentation — composited MNIST canvases', summary, sections));
  return figures;
}

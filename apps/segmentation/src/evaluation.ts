// The test figures (per-class IoU, mean IoU) and the report's pictures (mask overlays).
import { tf } from '@tensorloom/core';
import type { SegmentationSplit } from '@tensorloom/datasets';
import type { Module } from '@tensorloom/layers';
import { iou, meanIoU, pixelAccuracy } from '@tensorloom/metrics';
import { escapeHtml, htmlTable, imageGridPng, pngImg } from '@tensorloom/app-kit';
import type { ReportSection } from '@tensorloom/app-kit';

/** The numbers `evaluate` prints and `metrics.json` keeps. */
export interface SegmentationFigures {
  /** Test canvases. */
  count: number;
  /** Mean IoU over the ten digit classes (background left out): the figure the target is about. */
  meanIoUDigits: number;
  /** Mean IoU over all 11 classes (metrics' `meanIoU`). */
  meanIoUAll: number;
  /** Share of pixels whose predicted class is right (about 90 % of them are background). */
  pixelAccuracy: number;
  /** IoU of each class (metrics' `iou`), with its pixels in the true and the predicted masks. */
  perClass: { name: string; iou: number; truePixels: number; predictedPixels: number }[];
}

/**
 * The fixed palette of the 11 mask classes, RGB in [0, 1]: black background, then the ten
 * digits in the ten colours of matplotlib's "tab10" (distinct at a glance).
 */
export const PALETTE: readonly (readonly [number, number, number])[] = [
  [0x00, 0x00, 0x00],
  [0x1f, 0x77, 0xb4],
  [0xff, 0x7f, 0x0e],
  [0x2c, 0xa0, 0x2c],
  [0xd6, 0x27, 0x28],
  [0x94, 0x67, 0xbd],
  [0x8c, 0x56, 0x4b],
  [0xe3, 0x77, 0xc2],
  [0x7f, 0x7f, 0x7f],
  [0xbc, 0xbd, 0x22],
  [0x17, 0xbe, 0xcf],
].map(([r, g, b]) => [r / 255, g / 255, b / 255] as const);

/**
 * The predicted class of every pixel of a split (argmax of the logits in inference mode),
 * `count · h · w` values, in batches of `batchSize`.
 */
export function predictMasks(model: Module, split: SegmentationSplit, batchSize = 50): Uint8Array {
  const [h, w] = split.shape;
  const out = new Uint8Array(split.count * h * w);
  for (let start = 0; start < split.count; start += batchSize) {
    const part = split.slice(start, Math.min(split.count, start + batchSize));
    const { xs, masks } = part.tensors();
    const labels = tf.tidy(() => tf.argMax(model.apply(xs, { training: false }), -1)); // (b, h, w)
    out.set(labels.dataSync(), start * h * w);
    tf.dispose([xs, masks, labels]);
  }
  return out;
}

/** IoU per class, the two mean IoUs and pixel accuracy of predicted masks against a split's masks. */
export function segmentationFigures(split: SegmentationSplit, predicted: Uint8Array): SegmentationFigures {
  const classes = split.classNames.length;
  const yTrue = Int32Array.from(split.masks);
  const yPred = Int32Array.from(predicted);
  const perClassIoU = iou.compute(yTrue, yPred, { numClasses: classes });
  const truePixels = new Array<number>(classes).fill(0);
  const predictedPixels = new Array<number>(classes).fill(0);
  for (let i = 0; i < yTrue.length; i++) {
    truePixels[yTrue[i]!]!++;
    predictedPixels[yPred[i]!]!++;
  }
  const digits = perClassIoU.slice(1);
  return {
    count: split.count,
    meanIoUDigits: digits.reduce((a, b) => a + b, 0) / digits.length,
    meanIoUAll: meanIoU.compute(yTrue, yPred, { numClasses: classes }),
    pixelAccuracy: pixelAccuracy.compute(yTrue, yPred, { numClasses: classes }),
    perClass: split.classNames.map((name, k) => ({ name, iou: perClassIoU[k]!, truePixels: truePixels[k]!, predictedPixels: predictedPixels[k]! })),
  };
}

/** A mask `[h · w]` of class ids as an RGB image `[h, w, 3]` in the palette. */
export function maskRgb(mask: ArrayLike<number>): Float32Array {
  const out = new Float32Array(mask.length * 3);
  for (let i = 0; i < mask.length; i++) out.set(PALETTE[mask[i]!]!, i * 3);
  return out;
}

/** A grey canvas `[h · w]` with the digit pixels of a mask tinted by their class colour (`alpha` of the colour). */
export function overlayMask(image: ArrayLike<number>, mask: ArrayLike<number>, alpha = 0.6): Float32Array {
  const out = new Float32Array(mask.length * 3);
  for (let i = 0; i < mask.length; i++) {
    const grey = image[i]!;
    const colour = PALETTE[mask[i]!]!;
    for (let ch = 0; ch < 3; ch++) out[i * 3 + ch] = mask[i] === 0 ? grey : (1 - alpha) * grey + alpha * colour[ch]!;
  }
  return out;
}

/** Rows of three tiles for the first `n` canvases: the input, the true mask over it, the predicted mask over it. */
export function overlayGridPng(split: SegmentationSplit, predicted: Uint8Array, n = 12): Uint8Array {
  const [h, w] = split.shape;
  const plane = h * w;
  const tiles: Float32Array[] = [];
  for (let i = 0; i < Math.min(n, split.count); i++) {
    const image = split.images.subarray(i * plane, (i + 1) * plane);
    tiles.push(overlayMask(image, new Uint8Array(plane))); // the grey canvas as RGB
    tiles.push(overlayMask(image, split.masks.subarray(i * plane, (i + 1) * plane)));
    tiles.push(overlayMask(image, predicted.subarray(i * plane, (i + 1) * plane)));
  }
  return imageGridPng(tiles, h, w, 3, 6);
}

/** The legend of the palette as HTML swatches. */
function legendHtml(classNames: readonly string[]): string {
  const hex = (c: readonly number[]): string => `#${c.map((v) => Math.round(v * 255).toString(16).padStart(2, '0')).join('')}`;
  return `<p>${classNames
    .map((name, k) => `<span style="display:inline-block;margin-right:.8rem"><span style="display:inline-block;width:1em;height:1em;vertical-align:middle;border:1px solid #999;background:${hex(PALETTE[k]!)}"></span> ${escapeHtml(name)}</span>`)
    .join('')}</p>`;
}

/** The report's test sections: the IoU table and the overlay grid. */
export function testSections(split: SegmentationSplit, predicted: Uint8Array, figures: SegmentationFigures): ReportSection[] {
  const rows: (string | number)[][] = [['class', 'IoU', 'true pixels', 'predicted pixels']];
  for (const k of figures.perClass) rows.push([k.name, Number.isNaN(k.iou) ? 'absent' : k.iou, String(k.truePixels), String(k.predictedPixels)]);
  rows.push(['mean over the 10 digits', figures.meanIoUDigits, '', '']);
  rows.push(['mean over all 11', figures.meanIoUAll, '', '']);
  return [
    {
      title: 'Per-class IoU',
      note:
        `Intersection over union of each class over all ${figures.count} test canvases (pixels counted over the whole split, not averaged per canvas). ` +
        'The target figure is the mean over the ten digit classes; background is easy and would flatter the mean of all 11.',
      html: htmlTable(rows),
    },
    {
      title: 'Test canvases: input, true mask, predicted mask',
      note: 'Each row holds two canvases, three tiles each: the input, the true mask over it, the predicted mask over it (colours below).',
      html: `${legendHtml(split.classNames)}${pngImg(overlayGridPng(split, predicted), 'input, true and predicted masks', 2)}`,
    },
  ];
}

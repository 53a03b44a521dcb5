// The test figures and the report's pictures of a trained model on one split.
import { tf } from '@tensorloom/core';
import type { ImageSplit } from '@tensorloom/datasets';
import { accuracy, confusionMatrix, confusionMatrixSvg, f1Score, precision, recall } from '@tensorloom/metrics';
import type { Module } from '@tensorloom/layers';
import { featureSplit } from './architectures.js';
import { gradCamMaps, saliencyMaps } from './explain.js';
import { imageGridPng, overlayHeat } from '@tensorloom/app-kit';
import { expectedCalibrationError, reliabilityBins, reliabilitySvg } from './reliability.js';
import { escapeHtml, htmlTable, pngImg } from '@tensorloom/app-kit';
import type { ReportSection } from '@tensorloom/app-kit';

/** The numbers `evaluate` prints and `metrics.json` keeps. */
export interface TestFigures {
  count: number;
  accuracy: number;
  macroF1: number;
  /** Expected calibration error over 10 confidence bins. */
  ece: number;
  perClass: { name: string; precision: number; recall: number; f1: number; support: number }[];
  confusion: number[][];
}

/** Class probabilities of every image of a split, `[n · classes]`, in batches of 500 (inference mode). */
export function predictProbabilities(model: Module, split: ImageSplit, batchSize = 500): Float32Array {
  const classes = split.classNames.length;
  const out = new Float32Array(split.count * classes);
  for (let start = 0; start < split.count; start += batchSize) {
    const part = split.slice(start, Math.min(split.count, start + batchSize));
    const { xs, ys } = part.tensors();
    const probs = tf.tidy(() => tf.softmax(model.apply(xs)));
    out.set(probs.dataSync(), start * classes);
    tf.dispose([xs, ys, probs]);
  }
  return out;
}

function argMaxRow(p: Float32Array, i: number, classes: number): number {
  let best = 0;
  for (let c = 1; c < classes; c++) if (p[i * classes + c]! > p[i * classes + best]!) best = c;
  return best;
}

/** Accuracy, macro F1, per-class precision / recall / F1, the confusion matrix and the calibration error. */
export function testFigures(split: ImageSplit, probabilities: Float32Array): TestFigures {
  const classes = split.classNames.length;
  const yPred = tf.tensor2d(probabilities, [split.count, classes]);
  const yTrue = tf.tensor1d(split.labels, 'int32');
  const acc = accuracy.compute(yTrue, yPred);
  const f1 = f1Score({ average: 'macro', numClasses: classes });
  const p = precision({ average: 'macro', numClasses: classes });
  const r = recall({ average: 'macro', numClasses: classes });
  const cm = confusionMatrix({ numClasses: classes });
  for (const m of [f1, p, r, cm]) m.update(yTrue, yPred);
  tf.dispose([yPred, yTrue]);
  const confusion = cm.result().map((row) => [...row]);
  const confidences = new Float32Array(split.count);
  const correct: boolean[] = [];
  for (let i = 0; i < split.count; i++) {
    const k = argMaxRow(probabilities, i, classes);
    confidences[i] = probabilities[i * classes + k]!;
    correct.push(k === split.labels[i]);
  }
  const [pc, rc, fc] = [p.perClass(), r.perClass(), f1.perClass()];
  return {
    count: split.count,
    accuracy: acc,
    macroF1: f1.result(),
    ece: expectedCalibrationError(reliabilityBins(confidences, correct)),
    perClass: split.classNames.map((name, c) => ({
      name,
      precision: pc[c]!,
      recall: rc[c]!,
      f1: fc[c]!,
      support: confusion[c]!.reduce((a, b) => a + b, 0),
    })),
    confusion,
  };
}

/** The report's sections about the test split: matrix, per-class table, calibration, mistakes, saliency and Grad-CAM. */
export function testSections(model: Module, split: ImageSplit, probabilities: Float32Array, figures: TestFigures): ReportSection[] {
  const classes = split.classNames.length;
  const [h, w, c] = split.shape;
  const size = h * w * c;
  const image = (i: number): Float32Array => split.images.subarray(i * size, (i + 1) * size);

  // The most confidently wrong predictions: where the model is sure and mistaken.
  const wrong: { i: number; k: number; p: number }[] = [];
  const confidences: number[] = [];
  const correct: boolean[] = [];
  for (let i = 0; i < split.count; i++) {
    const k = argMaxRow(probabilities, i, classes);
    confidences.push(probabilities[i * classes + k]!);
    correct.push(k === split.labels[i]);
    if (k !== split.labels[i]) wrong.push({ i, k, p: probabilities[i * classes + k]! });
  }
  wrong.sort((a, b) => b.p - a.p);
  const worst = wrong.slice(0, 24);
  const tiles = worst
    .map(({ i, k, p }) => `<figure>${pngImg(imageGridPng([image(i)], h, w, c, 1), `test image ${i}`)}<figcaption>true ${escapeHtml(split.classNames[split.labels[i]!]!)}<br>pred ${escapeHtml(split.classNames[k]!)} (${(p * 100).toFixed(1)} %)</figcaption></figure>`)
    .join('');

  // Saliency and Grad-CAM over the first 8 test images, for the predicted class.
  const sample = Array.from({ length: Math.min(8, split.count) }, (_, i) => i);
  const predicted = sample.map((i) => argMaxRow(probabilities, i, classes));
  const { xs, ys } = split.slice(0, sample.length).tensors();
  const predict = (x: tf.Tensor): tf.Tensor => model.apply(x);
  const saliency = saliencyMaps(predict, xs, predicted);
  const cut = featureSplit(model, split.shape);
  const cams = cut === null ? null : gradCamMaps(cut, xs, predicted);
  tf.dispose([xs, ys]);
  const originals = sample.map((i) => image(i));
  const saliencyGrid = imageGridPng(sample.map((i, j) => overlayHeat(image(i), saliency[j]!, h, w, c)), h, w, 3, 8);
  const camGrid = cams === null ? null : imageGridPng(sample.map((i, j) => overlayHeat(image(i), cams[j]!, h, w, c)), h, w, 3, 8);

  return [
    {
      title: 'Confusion matrix',
      note: 'Rows are the true classes, columns the predicted ones; counts on the test split.',
      html: confusionMatrixSvg(figures.confusion, { classNames: [...split.classNames] }),
    },
    {
      title: 'Per-class precision, recall and F1',
      html: htmlTable([
        ['class', 'precision', 'recall', 'F1', 'support'],
        ...figures.perClass.map((k) => [k.name, k.precision, k.recall, k.f1, String(k.support)]),
      ]),
    },
    {
      title: 'Calibration',
      note: 'Accuracy of the predictions in each top-1 confidence bin; bars on the dashed diagonal are perfectly calibrated. ECE is the support-weighted mean gap.',
      html: reliabilitySvg(reliabilityBins(confidences, correct)),
    },
    {
      title: `Most confidently misclassified (${worst.length} of ${wrong.length} errors)`,
      html: `<div class="tiles">${tiles}</div>`,
    },
    {
      title: 'What the network looks at',
      note:
        'The first 8 test images; top: the images; middle: saliency, |∂ logit / ∂ pixel| of the predicted class; bottom: Grad-CAM over the last feature map ' +
        '(not for the ViT, which has none). Red is where the evidence is.',
      html: [imageGridPng(originals, h, w, c, 8), saliencyGrid, camGrid]
        .map((png, j) => (png === null ? '' : `<div>${pngImg(png, ['images', 'saliency', 'Grad-CAM'][j]!)}</div>`))
        .join(''),
    },
  ];
}

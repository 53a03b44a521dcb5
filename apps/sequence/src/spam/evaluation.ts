// The spam figures on a split: accuracy, precision, recall, F1 (spam is the positive class),
// ROC-AUC, the confusion matrix; and the report's sections about them.
import { tf } from '@tensorloom/core';
import { htmlTable } from '@tensorloom/app-kit';
import type { ReportSection } from '@tensorloom/app-kit';
import { accuracy, confusionMatrix, confusionMatrixSvg, f1Score, precision, recall, rocAuc, rocCurve, rocCurveSvg } from '@tensorloom/metrics';
import { batchOrder, batchWidth, padRows } from './data.js';
import type { SpamClassifier } from './models.js';

/** What `evaluate` prints and `metrics.json` keeps. */
export interface SpamFigures {
  count: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number;
  confusion: number[][];
}

/**
 * The spam probability of each message (`rows` of token ids), in inference mode: batches of
 * messages sorted by length, each padded to its longest rounded up to `WIDTH_STEP` — the
 * same batches every time, so a reloaded model reproduces the figures exactly.
 */
export function spamProbabilities(model: SpamClassifier, rows: readonly Int32Array[], maxLen: number, batchSize = 128): Float32Array {
  const out = new Float32Array(rows.length);
  const lengths = rows.map((r) => r.length);
  for (const batch of batchOrder(lengths, batchSize)) {
    const x = padRows(batch.map((i) => rows[i]!), batchWidth(Math.max(...batch.map((i) => lengths[i]!)), maxLen));
    const p = tf.tidy(() => tf.softmax(model.apply(x)).slice([0, 1], [-1, 1]).reshape([-1]));
    const values = p.dataSync();
    batch.forEach((i, k) => (out[i] = values[k]!));
    tf.dispose([x, p]);
  }
  return out;
}

/** Figures at the 0.5 threshold, and ROC-AUC over every threshold. */
export function spamFigures(labels: readonly number[], probabilities: Float32Array): SpamFigures {
  const yTrue = Array.from(labels);
  const yPred = Array.from(probabilities);
  const cm = confusionMatrix({ numClasses: 2 });
  cm.update(yTrue, yPred);
  return {
    count: labels.length,
    accuracy: accuracy.compute(yTrue, yPred),
    precision: precision.compute(yTrue, yPred),
    recall: recall.compute(yTrue, yPred),
    f1: f1Score.compute(yTrue, yPred),
    rocAuc: rocAuc.compute(yTrue, yPred),
    confusion: cm.result().map((row) => [...row]),
  };
}

/** The report's test sections: the figures, the ROC curve and the confusion matrix. */
export function spamSections(labels: readonly number[], probabilities: Float32Array, figures: SpamFigures): ReportSection[] {
  return [
    {
      title: 'Test figures',
      note: 'Spam is the positive class; a message is called spam when its spam probability is above 0.5.',
      html: htmlTable([
        ['accuracy', 'precision', 'recall', 'F1', 'ROC-AUC', 'messages'],
        [figures.accuracy, figures.precision, figures.recall, figures.f1, figures.rocAuc, String(figures.count)],
      ]),
    },
    { title: 'ROC curve', html: rocCurveSvg(rocCurve.compute(Array.from(labels), Array.from(probabilities)), { title: 'Test ROC' }) },
    { title: 'Confusion matrix', note: 'Rows are the true classes, columns the predicted ones.', html: confusionMatrixSvg(figures.confusion, { classNames: ['ham', 'spam'] }) },
  ];
}

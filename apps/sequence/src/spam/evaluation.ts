// The spam figures on a split: accuracy, precision, recall, F1 (spam is the positive class),
// ROC-AUC, the confusion matrix; and the report's sections about them.
import { tf } from '@tensorloom/core';
import { htmlTable } from '@tensorloom/app-kit';
import type { ReportSection } from '@tensorloom/app-kit';
import { accuracy, confusionMatrix, confusionMatrixSvg, f1Score, precision, recall, rocAuc, rocCurve, rocCurveSvg } from '@tensorloom/metrics';
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

/** The spam probability of each row of `ids` (`[n, maxLen]`), in batches, in inference mode. */
export function spamProbabilities(model: SpamClassifier, ids: Int32Array, maxLen: number, batchSize = 128): Float32Array {
  const n = ids.length / maxLen;
  const out = new Float32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const b = Math.min(batchSize, n - start);
    const x = tf.tensor2d(ids.subarray(start * maxLen, (start + b) * maxLen), [b, maxLen], 'int32');
    const p = tf.tidy(() => tf.softmax(model.apply(x)).slice([0, 1], [-1, 1]).reshape([-1]));
    out.set(p.dataSync(), start);
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

import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { RocMetric } from './roc-curve.js';
import type { CurveOptions, RocCurveOptions } from './types.js';

class RocAuc extends RocMetric<number> {
  constructor(options: CurveOptions) {
    super(options as RocCurveOptions, 'RocAuc', 'rocAuc', true);
  }
}

/**
 * Area under the ROC curve, exact (every score kept), as `sklearn.metrics.roc_auc_score`
 * (`multi_class='ovr'` for class scores).
 *
 * Formula: the trapezoidal area under ({@link rocCurve}) `(FPR(τ), TPR(τ))`; equivalently the
 * probability that a random positive scores above a random negative, ties counting 1/2
 * (the Mann–Whitney U statistic over n₊·n₋). For class scores `[N, K]` each class is
 * scored one-vs-rest and combined by `average`: `'macro'` (default), `'weighted'` (by
 * prevalence) or `'micro'`.
 *
 * Undefined when a class has no positives or no negatives: `zeroDivision` (default NaN,
 * the value scikit-learn returns for binary input). For class scores, such classes get
 * `zeroDivision` and, when it is NaN, are left out of the mean — scikit-learn instead
 * raises unless every class occurs in yTrue.
 *
 * Reference: Hanley & McNeil (1982), "The meaning and use of the area under a ROC curve",
 * Radiology 143(1). https://doi.org/10.1148/radiology.143.1.7063747
 *
 * @example
 * ```ts
 * rocAuc.compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 * const auc = rocAuc();
 * auc.update(labels, probs); // per batch; exact at the end
 * ```
 *
 * @group Classification
 */
export const rocAuc: MetricFactory<CurveOptions, number, NumericInput, NumericInput, Metric<number>> = defineMetric(
  (options: CurveOptions) => new RocAuc(options),
);

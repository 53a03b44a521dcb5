import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { PrMetric } from './precision-recall-curve.js';
import type { CurveOptions } from './types.js';

class AveragePrecision extends PrMetric<number> {
  constructor(options: CurveOptions) {
    super(options, 'AveragePrecision', 'averagePrecision', true);
  }
}

/**
 * Average precision: the precision–recall curve summarised as the recall-weighted mean of
 * precisions, exact (every score kept), as `sklearn.metrics.average_precision_score`.
 *
 * Formula: `AP = Σ_n (R_n − R_{n−1}) · P_n` over thresholds n (distinct scores,
 * decreasing) — a step integral, not the trapezoidal area, which is optimistic. Class
 * scores are scored one-vs-rest and combined by `average` (`'macro'` default,
 * `'weighted'` by positives, `'micro'`). No positives: `zeroDivision` (default 0, as
 * scikit-learn computes).
 *
 * Reference: Manning, Raghavan, Schütze (2008), Introduction to Information Retrieval,
 * §8.4; https://en.wikipedia.org/wiki/Evaluation_measures_(information_retrieval)#Average_precision
 *
 * @example
 * ```ts
 * averagePrecision.compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.8333
 * ```
 *
 * @group Classification
 */
export const averagePrecision: MetricFactory<CurveOptions, number, NumericInput, NumericInput, Metric<number>> = defineMetric(
  (options: CurveOptions) => new AveragePrecision(options),
);

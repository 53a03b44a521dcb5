import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { ConfusionMetric, classCounts } from '../internal/confusion.js';
import type { ClassificationOptions } from './types.js';

class MatthewsCorrelation extends ConfusionMetric<number> {
  constructor(options: ClassificationOptions) {
    super('MatthewsCorrelation', 'matthewsCorrelation', options, 0);
  }

  result(): number {
    const K = this.counts.classes;
    if (K === null) return this.zeroDivision;
    const c = classCounts(this.counts.matrix!, K);
    const s = c.total;
    let correct = 0;
    let tp = 0; // Σ t_k p_k
    let pp = 0; // Σ p_k²
    let tt = 0; // Σ t_k²
    for (let k = 0; k < K; k++) {
      const t = c.support[k];
      const p = c.tp[k] + c.fp[k];
      correct += c.tp[k];
      tp += t * p;
      pp += p * p;
      tt += t * t;
    }
    const covYtYp = correct * s - tp;
    const covYpYp = s * s - pp;
    const covYtYt = s * s - tt;
    if (covYpYp * covYtYt === 0) return this.zeroDivision;
    return covYtYp / Math.sqrt(covYtYt * covYpYp);
  }
}

/**
 * Matthews correlation coefficient (phi coefficient), in its multiclass form (Gorodkin's
 * R_K); +1 perfect, 0 chance, −1 total disagreement.
 *
 * Formula, with C the confusion matrix, `t_k` the true count and `p_k` the predicted count
 * of class k, `c = trace(C)` and `s` the number of samples:
 * `MCC = (c·s − Σ t_k p_k) / sqrt((s² − Σ p_k²)(s² − Σ t_k²))`. For two classes this is
 * `(tp·tn − fp·fn) / sqrt((tp+fp)(tp+fn)(tn+fp)(tn+fn))`. When a factor of the denominator is
 * 0 (one class only in yTrue or yPred) the result is `zeroDivision`, default 0 as
 * `sklearn.metrics.matthews_corrcoef`.
 *
 * References: Matthews (1975), https://doi.org/10.1016/0005-2795(75)90109-9;
 * Gorodkin (2004), https://doi.org/10.1016/j.compbiolchem.2004.09.006
 *
 * @example
 * ```ts
 * matthewsCorrelation.compute([1, 1, 1, 0], [1, 0, 1, 1]); // -0.3333
 * ```
 *
 * @group Classification
 */
export const matthewsCorrelation: MetricFactory<ClassificationOptions, number, NumericInput, NumericInput, Metric<number>> =
  defineMetric((options: ClassificationOptions) => new MatthewsCorrelation(options));

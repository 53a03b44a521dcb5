import type { MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import type { RegressionStats } from '../internal/regression.js';
import { VarianceScore } from '../internal/variance-score.js';
import type { RegressionMetric, VarianceScoreOptions } from './types.js';

class ExplainedVariance extends VarianceScore {
  constructor(options: VarianceScoreOptions) {
    super('ExplainedVariance', 'explainedVariance', options);
  }

  protected parts(s: RegressionStats, d: number): [number, number] {
    return [s.m2E[d], s.m2Y[d]];
  }
}

/**
 * Explained variance score.
 *
 * Formula, per output: `EV = 1 − Var_w(y − ŷ) / Var_w(y)` (weighted variances). Unlike R²
 * it ignores a constant bias in the predictions. As
 * `sklearn.metrics.explained_variance_score` (`force_finite=True`: a constant target gives 1
 * when the residual variance is 0, else 0). `multioutput` and `perOutput()` as for
 * {@link r2Score}. Empty input: `zeroDivision` (default NaN).
 *
 * Reference: https://scikit-learn.org/stable/modules/model_evaluation.html#explained-variance-score
 *
 * @example
 * ```ts
 * explainedVariance.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.9572 (sklearn docstring)
 * ```
 *
 * @group Regression
 */
export const explainedVariance: MetricFactory<VarianceScoreOptions, number, NumericInput, NumericInput, RegressionMetric> =
  defineMetric((options: VarianceScoreOptions) => new ExplainedVariance(options));

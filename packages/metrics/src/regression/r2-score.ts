import type { MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import type { RegressionStats } from '../internal/regression.js';
import { VarianceScore } from '../internal/variance-score.js';
import type { RegressionMetric, VarianceScoreOptions } from './types.js';

class R2Score extends VarianceScore {
  constructor(options: VarianceScoreOptions) {
    super('R2Score', 'r2Score', options);
  }

  protected parts(s: RegressionStats, d: number): [number, number] {
    // fewer than two samples: undefined (scikit-learn returns NaN)
    return [s.count < 2 ? NaN : s.sse[d], s.m2Y[d]];
  }
}

/**
 * Coefficient of determination R².
 *
 * Formula, per output: `R² = 1 − Σ w (y − ŷ)² / Σ w (y − ȳ)²` with ȳ the weighted mean of
 * the targets. As `sklearn.metrics.r2_score` (`force_finite=True`): a constant target gives
 * 1 when predicted exactly and 0 otherwise; fewer than two samples give `zeroDivision`
 * (default NaN). `result()` averages outputs uniformly or by target variance
 * (`multioutput`); `perOutput()` gives raw values. Streaming is exact: means and centred
 * sums of squares merge with Chan et al.'s formula.
 *
 * Reference: https://en.wikipedia.org/wiki/Coefficient_of_determination ; Chan, Golub,
 * LeVeque (1979), "Updating formulae and a pairwise algorithm for computing sample variances".
 *
 * @example
 * ```ts
 * r2Score.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.9486 (sklearn docstring)
 * ```
 *
 * @group Regression
 */
export const r2Score: MetricFactory<VarianceScoreOptions, number, NumericInput, NumericInput, RegressionMetric> = defineMetric(
  (options: VarianceScoreOptions) => new R2Score(options),
);

import type { MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import type { RegressionStats } from '../internal/regression.js';
import { RegressionBase } from '../internal/regression.js';
import type { RegressionMetric, RegressionOptions } from './types.js';

class MeanAbsolutePercentageError extends RegressionBase {
  constructor(options: RegressionOptions) {
    super('MeanAbsolutePercentageError', 'meanAbsolutePercentageError', options);
  }

  protected perOutputValue(s: RegressionStats, d: number): number {
    return s.sape[d] / s.weight[d];
  }
}

/**
 * Mean absolute percentage error, as a fraction (multiply by 100 for percent), as
 * `sklearn.metrics.mean_absolute_percentage_error`.
 *
 * Formula, per output: `MAPE = Σ_i w_i |y_i − ŷ_i| / max(|y_i|, ε) / Σ_i w_i` with ε the
 * float64 machine epsilon (2.22e-16), so a zero target gives a huge but finite term, as
 * scikit-learn. Keras' `MeanAbsolutePercentageError` reports 100× this. Empty input:
 * `zeroDivision` (default NaN).
 *
 * Reference: https://en.wikipedia.org/wiki/Mean_absolute_percentage_error
 *
 * @example
 * ```ts
 * meanAbsolutePercentageError.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.3274 (sklearn docstring)
 * ```
 *
 * @group Regression
 */
export const meanAbsolutePercentageError: MetricFactory<RegressionOptions, number, NumericInput, NumericInput, RegressionMetric> =
  defineMetric((options: RegressionOptions) => new MeanAbsolutePercentageError(options));

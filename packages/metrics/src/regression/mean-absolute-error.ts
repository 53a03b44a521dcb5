import type { MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import type { RegressionStats } from '../internal/regression.js';
import { RegressionBase } from '../internal/regression.js';
import type { RegressionMetric, RegressionOptions } from './types.js';

class MeanAbsoluteError extends RegressionBase {
  constructor(options: RegressionOptions) {
    super('MeanAbsoluteError', 'meanAbsoluteError', options);
  }

  protected perOutputValue(s: RegressionStats, d: number): number {
    return s.sae[d] / s.weight[d];
  }
}

/**
 * Mean absolute error.
 *
 * Formula, per output: `MAE = Σ_i w_i |y_i − ŷ_i| / Σ_i w_i`; uniform average over outputs,
 * `perOutput()` for raw values. Matches `sklearn.metrics.mean_absolute_error`. Empty
 * input: `zeroDivision` (default NaN).
 *
 * @example
 * ```ts
 * meanAbsoluteError.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.5 (sklearn docstring)
 * ```
 *
 * @group Regression
 */
export const meanAbsoluteError: MetricFactory<RegressionOptions, number, NumericInput, NumericInput, RegressionMetric> =
  defineMetric((options: RegressionOptions) => new MeanAbsoluteError(options));

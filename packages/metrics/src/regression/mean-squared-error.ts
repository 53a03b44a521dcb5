import type { MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import type { RegressionStats } from '../internal/regression.js';
import { RegressionBase } from '../internal/regression.js';
import type { RegressionMetric, RegressionOptions } from './types.js';

class MeanSquaredError extends RegressionBase {
  constructor(options: RegressionOptions) {
    super('MeanSquaredError', 'meanSquaredError', options);
  }

  protected perOutputValue(s: RegressionStats, d: number): number {
    return s.sse[d] / s.weight[d];
  }
}

/**
 * Mean squared error.
 *
 * Formula, per output: `MSE = Σ_i w_i (y_i − ŷ_i)² / Σ_i w_i`; `result()` is the uniform
 * average over outputs, `perOutput()` the raw values (scikit-learn's `multioutput`).
 * Matches `sklearn.metrics.mean_squared_error`. Empty input: `zeroDivision` (default NaN).
 *
 * @example
 * ```ts
 * meanSquaredError.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // 0.375 (sklearn docstring)
 * ```
 *
 * @group Regression
 */
export const meanSquaredError: MetricFactory<RegressionOptions, number, NumericInput, NumericInput, RegressionMetric> =
  defineMetric((options: RegressionOptions) => new MeanSquaredError(options));

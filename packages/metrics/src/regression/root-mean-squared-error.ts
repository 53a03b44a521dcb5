import type { MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import type { RegressionStats } from '../internal/regression.js';
import { RegressionBase } from '../internal/regression.js';
import type { RegressionMetric, RegressionOptions } from './types.js';

class RootMeanSquaredError extends RegressionBase {
  constructor(options: RegressionOptions) {
    super('RootMeanSquaredError', 'rootMeanSquaredError', options);
  }

  protected perOutputValue(s: RegressionStats, d: number): number {
    return Math.sqrt(s.sse[d] / s.weight[d]);
  }
}

/**
 * Root mean squared error.
 *
 * Formula, per output: `RMSE = sqrt(Σ_i w_i (y_i − ŷ_i)² / Σ_i w_i)`. For several outputs
 * `result()` is the mean of the per-output RMSEs (not the root of the mean MSE), as
 * `sklearn.metrics.root_mean_squared_error`. The root is taken over the whole stream, so
 * it is exact (not a mean of per-batch RMSEs). Empty input: `zeroDivision` (default NaN).
 *
 * @example
 * ```ts
 * rootMeanSquaredError.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8]); // sqrt(0.375) = 0.6124
 * ```
 *
 * @group Regression
 */
export const rootMeanSquaredError: MetricFactory<RegressionOptions, number, NumericInput, NumericInput, RegressionMetric> =
  defineMetric((options: RegressionOptions) => new RootMeanSquaredError(options));

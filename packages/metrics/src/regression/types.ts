import type { Metric, MetricOptions } from '../metric.js';

/**
 * Options of the regression metrics.
 *
 * Inputs: yTrue and yPred of the same shape (a trailing axis of 1 on either is ignored).
 * Rank 0 or 1 is one output; for rank >= 2 the last axis holds the outputs and the other
 * axes are samples (`[N, D]`: N samples of D outputs, as scikit-learn's multi-output).
 * `sampleWeight` has the sample shape (or a prefix of it).
 *
 * @example
 * ```ts
 * r2Score({ multioutput: 'varianceWeighted' });
 * ```
 *
 * @group Regression
 */
export interface RegressionOptions extends MetricOptions {
  /** The result before any sample has been seen (or when it is undefined). Default NaN. */
  zeroDivision?: number;
}

/**
 * A regression metric: `result()` is the uniform average over outputs; `perOutput()` gives
 * one value per output (scikit-learn's `multioutput='raw_values'`).
 *
 * @example
 * ```ts
 * const mse = meanSquaredError();
 * mse.update([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]]);
 * mse.result();    // 0.7083
 * mse.perOutput(); // [0.4167, 1]
 * ```
 *
 * @group Regression
 */
export interface RegressionMetric extends Metric<number> {
  /** One value per output (the last axis); empty before data arrives. */
  perOutput(): number[];
}

/**
 * Options of {@link r2Score} and {@link explainedVariance}.
 *
 * @example
 * ```ts
 * explainedVariance({ multioutput: 'varianceWeighted' });
 * ```
 *
 * @group Regression
 */
export interface VarianceScoreOptions extends RegressionOptions {
  /**
   * How outputs combine in `result()`: `'uniformAverage'` (default) or
   * `'varianceWeighted'` (weighted by the variance of each output's targets; uniform if all
   * are constant). `perOutput()` gives the raw values.
   */
  multioutput?: 'uniformAverage' | 'varianceWeighted';
}

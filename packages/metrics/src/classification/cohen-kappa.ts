import { oneOf } from '@tensorloom/core';
import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';

import { ConfusionMetric, classCounts } from '../internal/confusion.js';
import type { ClassificationOptions } from './types.js';

/**
 * Options of {@link cohenKappa}.
 *
 * @example
 * ```ts
 * cohenKappa({ weights: 'quadratic', numClasses: 5 }); // ordinal ratings
 * ```
 *
 * @group Classification
 */
export interface CohenKappaOptions extends ClassificationOptions {
  /**
   * Disagreement weights: `'none'` (every disagreement costs 1), `'linear'` (|i − j|) or
   * `'quadratic'` ((i − j)²) for ordinal classes. Default `'none'`.
   */
  weights?: 'none' | 'linear' | 'quadratic';
}

class CohenKappa extends ConfusionMetric<number, CohenKappaOptions> {
  private readonly weights: 'none' | 'linear' | 'quadratic';

  constructor(options: CohenKappaOptions) {
    super('CohenKappa', 'cohenKappa', options, NaN);
    this.weights =
      options.weights === undefined
        ? 'none'
        : oneOf<'none' | 'linear' | 'quadratic'>(this.unit, 'weights', options.weights, ['none', 'linear', 'quadratic']);
  }

  result(): number {
    const K = this.counts.classes;
    if (K === null) return this.zeroDivision;
    const m = this.counts.matrix!;
    const c = classCounts(m, K);
    if (c.total === 0) return this.zeroDivision;
    let observed = 0;
    let expected = 0;
    for (let i = 0; i < K; i++) {
      for (let j = 0; j < K; j++) {
        const d = this.weights === 'none' ? (i === j ? 0 : 1) : this.weights === 'linear' ? Math.abs(i - j) : (i - j) ** 2;
        observed += d * m[i * K + j];
        // expected count under independence: row total × column total / n
        expected += (d * c.support[i] * (c.tp[j] + c.fp[j])) / c.total;
      }
    }
    if (expected === 0) return this.zeroDivision;
    return 1 - observed / expected;
  }

  protected override config(): Record<string, unknown> {
    return { ...super.config(), weights: this.weights };
  }
}

/**
 * Cohen's kappa: agreement between targets and predictions corrected for chance.
 *
 * Formula, with weights `w_ij` (0 on the diagonal, 1 off it; or |i − j|, or (i − j)²),
 * observed counts `O_ij` and expected counts `E_ij = t_i·p_j / n` (true count of class i
 * times predicted count of class j over the number of samples):
 * `κ = 1 − Σ w_ij O_ij / Σ w_ij E_ij`. When the expected disagreement is 0 (a single class
 * in both) kappa is undefined: `zeroDivision`, default NaN as
 * `sklearn.metrics.cohen_kappa_score`.
 *
 * Reference: Cohen, J. (1960), "A coefficient of agreement for nominal scales",
 * Educational and Psychological Measurement 20(1). https://doi.org/10.1177/001316446002000104
 *
 * @example
 * ```ts
 * cohenKappa.compute([0, 2, 0, 1, 2], [0, 2, 0, 1, 0], { numClasses: 3 }); // 0.6875
 * ```
 *
 * @group Classification
 */
export const cohenKappa: MetricFactory<CohenKappaOptions, number, NumericInput, NumericInput, Metric<number>> =
  defineMetric((options: CohenKappaOptions) => new CohenKappa(options));

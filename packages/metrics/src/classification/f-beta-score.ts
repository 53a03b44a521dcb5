import { inRange } from '@tensorloom/core';
import type { MetricFactory, NumericInput } from '../metric.js';
import { AveragedMetric, ratio } from '../internal/averaged.js';
import { defineMetric } from '../internal/base.js';

import type { AveragedOptions, ClassAveragedMetric } from './types.js';

/**
 * Options of {@link fBetaScore}.
 *
 * @example
 * ```ts
 * fBetaScore({ beta: 2, average: 'macro' }); // recall weighted 4× precision
 * ```
 *
 * @group Classification
 */
export interface FBetaOptions extends AveragedOptions {
  /** How much more recall weighs than precision (beta > 0). Default 1 (F1). */
  beta?: number;
}

/**
 * F-beta on one-vs-rest counts; shared with {@link f1Score}.
 *
 * @group Classification
 */
export class FBeta extends AveragedMetric<FBetaOptions> {
  private readonly beta2: number;

  constructor(options: FBetaOptions, kind = 'FBetaScore', defaultName = 'fBetaScore') {
    super(kind, defaultName, options, 0);
    const beta = options.beta === undefined ? 1 : inRange(this.unit, 'beta', options.beta, { min: 0, minOpen: true });
    this.beta2 = beta * beta;
  }

  protected score(tp: number, fp: number, fn: number): number {
    // (1 + β²)·P·R / (β²·P + R) written on counts, so it is defined whenever tp + fp + fn > 0
    // (scikit-learn >= 1.3 computes it this way).
    return ratio((1 + this.beta2) * tp, (1 + this.beta2) * tp + this.beta2 * fn + fp);
  }

  protected override config(): Record<string, unknown> {
    return { ...super.config(), beta2: this.beta2 };
  }
}

/**
 * F-beta score: the weighted harmonic mean of precision and recall.
 *
 * Formula (per class): `F_β = (1 + β²)·tp / ((1 + β²)·tp + β²·fn + fp)`, which equals
 * `(1 + β²)·P·R / (β²·P + R)`; averaged by `average` (see {@link Average}; micro-F of
 * single-label multiclass input equals accuracy). 0/0 (a class neither present nor
 * predicted) gives `zeroDivision` (default 0). Matches `sklearn.metrics.fbeta_score`.
 *
 * Reference: van Rijsbergen, C. J. (1979), Information Retrieval, ch. 7;
 * https://en.wikipedia.org/wiki/F-score
 *
 * @example
 * ```ts
 * fBetaScore.compute([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { numClasses: 3, beta: 0.5 }); // 0.2381
 * ```
 *
 * @group Classification
 */
export const fBetaScore: MetricFactory<FBetaOptions, number, NumericInput, NumericInput, ClassAveragedMetric> =
  defineMetric((options: FBetaOptions) => new FBeta(options));

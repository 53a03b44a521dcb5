import type { MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { FBeta } from './f-beta-score.js';
import type { AveragedOptions, ClassAveragedMetric } from './types.js';

class F1 extends FBeta {
  constructor(options: AveragedOptions) {
    super({ ...options, beta: 1 }, 'F1Score', 'f1Score');
  }
}

/**
 * F1 score: the harmonic mean of precision and recall ({@link fBetaScore} with β = 1).
 *
 * Formula (per class): `F1 = 2·tp / (2·tp + fp + fn) = 2·P·R / (P + R)`; averaged by
 * `average` (see {@link Average}); default `'binary'` for two classes, `'macro'`
 * otherwise. 0/0 gives `zeroDivision` (default 0). Matches `sklearn.metrics.f1_score`.
 *
 * Reference: https://en.wikipedia.org/wiki/F-score
 *
 * @example
 * ```ts
 * f1Score.compute([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.7]); // 0.5
 * const f1 = f1Score({ average: 'weighted' });
 * f1.update(labels, logits);
 * ```
 *
 * @group Classification
 */
export const f1Score: MetricFactory<AveragedOptions, number, NumericInput, NumericInput, ClassAveragedMetric> =
  defineMetric((options: AveragedOptions) => new F1(options));

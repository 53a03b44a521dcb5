import type { MetricFactory, NumericInput } from '../metric.js';
import { AveragedMetric, ratio } from '../internal/averaged.js';
import { defineMetric } from '../internal/base.js';
import type { AveragedOptions, ClassAveragedMetric } from './types.js';

class Specificity extends AveragedMetric {
  constructor(options: AveragedOptions) {
    super('Specificity', 'specificity', options, 0);
  }

  protected score(_tp: number, fp: number, _fn: number, tn: number): number {
    return ratio(tn, tn + fp);
  }
}

/**
 * Specificity (true negative rate): of the samples not in a class, the fraction not
 * predicted as it.
 *
 * Formula (per class, one-vs-rest): `specificity = tn / (tn + fp)`; averaged by `average`
 * (see {@link Average}; `'micro'` is `Σtn / (Σtn + Σfp)`, `'weighted'` weighs by support
 * tp + fn, as torchmetrics `Specificity`). 0/0 gives `zeroDivision` (default 0).
 * For binary input it is the recall of class 0.
 *
 * Reference: https://en.wikipedia.org/wiki/Sensitivity_and_specificity
 *
 * @example
 * ```ts
 * specificity.compute([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.7]); // 0.5: one of two negatives kept negative
 * ```
 *
 * @group Classification
 */
export const specificity: MetricFactory<AveragedOptions, number, NumericInput, NumericInput, ClassAveragedMetric> =
  defineMetric((options: AveragedOptions) => new Specificity(options));

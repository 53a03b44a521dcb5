import type { MetricFactory, NumericInput } from '../metric.js';
import { AveragedMetric, ratio } from '../internal/averaged.js';
import { defineMetric } from '../internal/base.js';
import type { AveragedOptions, ClassAveragedMetric } from './types.js';

class Precision extends AveragedMetric {
  constructor(options: AveragedOptions) {
    super('Precision', 'precision', options, 0);
  }

  protected score(tp: number, fp: number): number {
    return ratio(tp, tp + fp);
  }
}

/**
 * Precision: of the samples predicted as a class, the fraction that belong to it.
 *
 * Formula (per class, one-vs-rest): `precision = tp / (tp + fp)`, averaged by `average`
 * (see {@link Average}); default `'binary'` (class 1) for two classes, `'macro'` otherwise.
 * A class never predicted has 0/0: it gets `zeroDivision` (default 0, as scikit-learn's
 * `zero_division="warn"`). Matches `sklearn.metrics.precision_score`.
 *
 * Inputs are read as {@link ClassificationOptions.task} describes: binary probabilities
 * (thresholded at `threshold`), class ids, one-hot targets or class scores.
 * {@link ClassAveragedMetric.perClass} gives every class (`average=None`).
 *
 * Reference: https://en.wikipedia.org/wiki/Precision_and_recall
 *
 * @example
 * ```ts
 * precision.compute([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.7]);                        // 0.5
 * precision.compute([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { numClasses: 3 }); // macro: 0.2222
 * ```
 *
 * @group Classification
 */
export const precision: MetricFactory<AveragedOptions, number, NumericInput, NumericInput, ClassAveragedMetric> =
  defineMetric((options: AveragedOptions) => new Precision(options));

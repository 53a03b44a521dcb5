import type { MetricFactory, NumericInput } from '../metric.js';
import { AveragedMetric, ratio } from '../internal/averaged.js';
import { defineMetric } from '../internal/base.js';
import type { AveragedOptions, ClassAveragedMetric } from './types.js';

class Recall extends AveragedMetric {
  constructor(options: AveragedOptions) {
    super('Recall', 'recall', options, 0);
  }

  protected score(tp: number, _fp: number, fn: number): number {
    return ratio(tp, tp + fn);
  }
}

/**
 * Recall (sensitivity, true positive rate): of the samples of a class, the fraction
 * predicted as it.
 *
 * Formula (per class, one-vs-rest): `recall = tp / (tp + fn)`, averaged by `average` (see
 * {@link Average}); default `'binary'` for two classes, `'macro'` otherwise. A class absent
 * from yTrue has 0/0 and gets `zeroDivision` (default 0). Matches
 * `sklearn.metrics.recall_score`.
 *
 * Reference: https://en.wikipedia.org/wiki/Precision_and_recall
 *
 * @example
 * ```ts
 * recall.compute([0, 1, 1, 0], [0.2, 0.9, 0.4, 0.7]);                        // 0.5
 * recall.compute([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], { numClasses: 3 }); // macro: 0.3333
 * ```
 *
 * @group Classification
 */
export const recall: MetricFactory<AveragedOptions, number, NumericInput, NumericInput, ClassAveragedMetric> =
  defineMetric((options: AveragedOptions) => new Recall(options));

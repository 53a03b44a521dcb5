import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import type { AccuracyOptions } from './accuracy.js';
import { AccuracyMetric } from './accuracy.js';

class SparseCategoricalAccuracy extends AccuracyMetric {
  constructor(options: AccuracyOptions) {
    super(options, {
      kind: 'SparseCategoricalAccuracy',
      defaultName: 'sparseCategoricalAccuracy',
      mode: 'sparse',
      ignoreIndex: null,
    });
  }
}

/**
 * Sparse categorical accuracy: integer class ids against class scores (logits or
 * probabilities), as Keras `SparseCategoricalAccuracy`.
 *
 * Formula: `sum_i w_i [argmax(p_i) == y_i] / sum_i w_i`; ties go to the first maximum.
 *
 * yTrue has shape `S` (or `[...S, 1]`) and yPred `[...S, K]`; class ids must be integers in
 * `[0, K)`. `threshold` is not used.
 *
 * @example
 * ```ts
 * sparseCategoricalAccuracy.compute([2, 1], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]); // 0.5
 * ```
 *
 * @group Classification
 */
export const sparseCategoricalAccuracy: MetricFactory<AccuracyOptions, number, NumericInput, NumericInput, Metric<number>> =
  defineMetric((options: AccuracyOptions) => new SparseCategoricalAccuracy(options));

import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import type { AccuracyOptions } from './accuracy.js';
import { AccuracyMetric } from './accuracy.js';

class CategoricalAccuracy extends AccuracyMetric {
  constructor(options: AccuracyOptions) {
    super(options, { kind: 'CategoricalAccuracy', defaultName: 'categoricalAccuracy', mode: 'categorical', ignoreIndex: null });
  }
}

/**
 * Categorical accuracy: one-hot (or probability) targets against class scores, as Keras
 * `CategoricalAccuracy`.
 *
 * Formula: `sum_i w_i [argmax(p_i) == argmax(y_i)] / sum_i w_i`; ties go to the first
 * maximum, as `tf.argMax` and `numpy.argmax`.
 *
 * yTrue and yPred have the same shape `[..., K]` with K > 1; `sampleWeight` has the shape
 * without the class axis (or a prefix of it). `threshold` is not used.
 *
 * @example
 * ```ts
 * categoricalAccuracy.compute([[0, 0, 1], [0, 1, 0]], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]]); // 0.5
 * ```
 *
 * @group Classification
 */
export const categoricalAccuracy: MetricFactory<AccuracyOptions, number, NumericInput, NumericInput, Metric<number>> =
  defineMetric((options: AccuracyOptions) => new CategoricalAccuracy(options));

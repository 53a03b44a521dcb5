import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import type { AccuracyOptions } from './accuracy.js';
import { AccuracyMetric } from './accuracy.js';

class BinaryAccuracy extends AccuracyMetric {
  constructor(options: AccuracyOptions) {
    super(options, { kind: 'BinaryAccuracy', defaultName: 'binaryAccuracy', mode: 'binary', ignoreIndex: null });
  }
}

/**
 * Binary (and multi-label) accuracy: the fraction of elements where `yPred > threshold`
 * agrees with the 0/1 target, as Keras `BinaryAccuracy`.
 *
 * Formula: `sum_i w_i [(p_i > t) == y_i] / sum_i w_i`, over every element; the threshold
 * `t` defaults to 0.5 (use 0 for logits).
 *
 * yTrue (values 0 or 1) and yPred must have the same shape; a trailing axis of 1 on either
 * is ignored. For multi-label `[N, L]` inputs every label counts; `sampleWeight` of shape
 * `[N]` weighs all labels of a sample.
 *
 * @example
 * ```ts
 * binaryAccuracy.compute([1, 0, 1, 1], [0.8, 0.4, 0.3, 0.9]);            // 0.75
 * binaryAccuracy.compute([[1, 0], [0, 1]], [[2.1, -1], [0.5, 0.2]], { threshold: 0 }); // 0.75
 * ```
 *
 * @group Classification
 */
export const binaryAccuracy: MetricFactory<AccuracyOptions, number, NumericInput, NumericInput, Metric<number>> =
  defineMetric((options: AccuracyOptions) => new BinaryAccuracy(options));

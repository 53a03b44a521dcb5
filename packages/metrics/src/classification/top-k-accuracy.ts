import { ConfigError, ShapeError, formatShape, intInRange } from '@tensorloom/core';
import type { Metric, MetricFactory, MetricOptions, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { checkZeroDivision, readWeights } from '../internal/checks.js';
import { argmax, rowsAreDistributions, shapeForm, withClassAxis } from '../internal/decode.js';
import { sizeOf, readPredictions, toDense } from '../internal/input.js';
import { RatioMetric } from '../internal/ratio.js';

/**
 * Options of {@link topKAccuracy}.
 *
 * @example
 * ```ts
 * const top3 = topKAccuracy({ k: 3 });
 * ```
 *
 * @group Classification
 */
export interface TopKAccuracyOptions extends MetricOptions {
  /** How many of the highest-scored classes count as a hit. Default 5 (as Keras). */
  k?: number;
  /** The result before any sample has been seen: 0, 1 or NaN. Default 0. */
  zeroDivision?: number;
}

/** State: [weighted hits, weighted total]. */
class TopKAccuracy extends RatioMetric<NumericInput, NumericInput, TopKAccuracyOptions> {
  private readonly k: number;
  protected readonly zeroDivision: number;

  constructor(options: TopKAccuracyOptions) {
    super('TopKAccuracy', 'topKAccuracy', options);
    this.k = options.k === undefined ? 5 : intInRange(this.unit, 'k', options.k, 1);
    this.zeroDivision = checkZeroDivision(this.unit, options.zeroDivision, 0);
  }

  update(yTrue: NumericInput, yPred: NumericInput, sampleWeight?: NumericInput): void {
    const t = toDense(this.unit, 'yTrue', yTrue);
    const p = readPredictions(this.unit, yPred);
    if (t.values.length === 0 && p.values.length === 0) return; // an empty batch
    const form = shapeForm(this.unit, t.shape, p.shape);
    const K = form.classes;
    let oneHot = false;
    if (form.form === 'same') {
      oneHot = p.shape.length >= 2 && K > 1 && rowsAreDistributions(t.values, K);
      if (!oneHot) {
        throw new ShapeError(
          `${this.unit}: yPred expected shape ${withClassAxis(t.shape)} (class scores), or yTrue one-hot rows of yPred's shape, got yTrue ${formatShape(t.shape)} and yPred ${formatShape(p.shape)}`,
        );
      }
    }
    const sampleShape = oneHot ? t.shape.slice(0, -1) : form.sampleShape;
    const n = sizeOf(sampleShape);
    const w = readWeights(this.unit, sampleWeight, sampleShape);
    let hits = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const y = oneHot ? argmax(t.values, i * K, K) : t.values[i];
      if (!Number.isInteger(y) || y < 0 || y >= K) {
        throw new ConfigError(`${this.unit}: yTrue expected integer class ids in [0, ${K}), got ${y}`);
      }
      // Hit when fewer than k classes score strictly higher: ties at the boundary count as
      // in the top k, as tf.math.in_top_k (Keras).
      const target = p.values[i * K + y];
      let above = 0;
      for (let c = 0; c < K; c++) if (p.values[i * K + c] > target) above++;
      const weight = w === null ? 1 : w[i];
      if (above < this.k && !Number.isNaN(target)) hits += weight;
      total += weight;
    }
    this.state[0] += hits;
    this.state[1] += total;
  }

  protected config(): Record<string, unknown> {
    return { k: this.k, zeroDivision: this.zeroDivision };
  }
}

/**
 * Top-k accuracy: the fraction of samples whose true class is among the k highest scores.
 *
 * Formula: `sum_i w_i [#{c : p_ic > p_i,y_i} < k] / sum_i w_i`. Classes tied with the true
 * class at the boundary count as in the top k, as Keras `SparseTopKCategoricalAccuracy`
 * (`tf.math.in_top_k`); scikit-learn's `top_k_accuracy_score` breaks such ties by class
 * index instead, so the two can differ only when scores tie.
 *
 * yTrue holds class ids of shape `S` with yPred `[...S, K]`, or one-hot rows of yPred's
 * shape. With `k >= K` every sample is a hit.
 *
 * @example
 * ```ts
 * // sklearn.metrics.top_k_accuracy_score docstring example: 0.75
 * topKAccuracy.compute([0, 1, 2, 2], [[0.5, 0.2, 0.2], [0.3, 0.4, 0.2], [0.2, 0.4, 0.3], [0.7, 0.2, 0.1]], { k: 2 });
 * ```
 *
 * @group Classification
 */
export const topKAccuracy: MetricFactory<TopKAccuracyOptions, number, NumericInput, NumericInput, Metric<number>> =
  defineMetric((options: TopKAccuracyOptions) => new TopKAccuracy(options));

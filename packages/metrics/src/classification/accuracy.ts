import { finiteNumber } from '@tensorloom/core';
import type { Metric, MetricFactory, MetricOptions, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { checkZeroDivision } from '../internal/checks.js';
import type { DecodeMode } from '../internal/decode.js';
import { decodeClassification } from '../internal/decode.js';
import { RatioMetric } from '../internal/ratio.js';

/**
 * Options of {@link accuracy} and its variants.
 *
 * @example
 * ```ts
 * const acc = accuracy({ threshold: 0, name: 'acc' }); // binary logits: positive when > 0
 * ```
 *
 * @group Classification
 */
export interface AccuracyOptions extends MetricOptions {
  /**
   * Binary decision threshold: a prediction is the positive class when `yPred > threshold`
   * (strictly, as Keras and torchmetrics). Default 0.5; use 0 for logits.
   */
  threshold?: number;
  /** The result before any sample has been seen (0/0): 0, 1 or NaN. Default 0. */
  zeroDivision?: number;
}

/**
 * The configuration an accuracy variant adds to its options.
 *
 * @group Classification
 */
export interface AccuracyVariant {
  kind: string;
  defaultName: string;
  mode: DecodeMode;
  ignoreIndex: number | null;
}

/**
 * The shared implementation of every accuracy: weighted correct / weighted total, with the
 * reading of the inputs chosen by the variant. State: [weighted correct, weighted total].
 *
 * @group Classification
 */
export class AccuracyMetric<O extends AccuracyOptions = AccuracyOptions> extends RatioMetric<NumericInput, NumericInput, O> {
  private readonly threshold: number;
  protected readonly zeroDivision: number;

  constructor(options: O, protected readonly variant: AccuracyVariant) {
    super(variant.kind, variant.defaultName, options);
    this.threshold = options.threshold === undefined ? 0.5 : finiteNumber(this.unit, 'threshold', options.threshold);
    this.zeroDivision = checkZeroDivision(this.unit, options.zeroDivision, 0);
  }

  update(yTrue: NumericInput, yPred: NumericInput, sampleWeight?: NumericInput): void {
    const d = decodeClassification(this.unit, yTrue, yPred, sampleWeight, {
      mode: this.variant.mode,
      threshold: this.threshold,
      labelRange: null,
      ignoreIndex: this.variant.ignoreIndex,
    });
    let correct = 0;
    let total = 0;
    for (let i = 0; i < d.trueLabels.length; i++) {
      const w = d.weights === null ? 1 : d.weights[i];
      if (d.trueLabels[i] === d.predLabels[i]) correct += w;
      total += w;
    }
    this.state[0] += correct;
    this.state[1] += total;
  }

  protected config(): Record<string, unknown> {
    return { ...this.variant, threshold: this.threshold, zeroDivision: this.zeroDivision };
  }
}

class Accuracy extends AccuracyMetric {
  constructor(options: AccuracyOptions) {
    super(options, { kind: 'Accuracy', defaultName: 'accuracy', mode: 'auto', ignoreIndex: null });
  }
}

/**
 * Accuracy that works out what the inputs are: the fraction of samples whose predicted class
 * equals the target, weighted by `sampleWeight`.
 *
 * Formula: `sum_i w_i [pred_i == true_i] / sum_i w_i`.
 *
 * How it reads each batch, in this order:
 * 1. **sparse** — yPred has one more axis than yTrue (`[N]` vs `[N, K]`, `[N, H, W]` vs
 *    `[N, H, W, K]`), or yTrue ends in an axis of 1 and yPred in one of K > 1: yTrue holds
 *    class ids, the prediction is the argmax of yPred's last axis (logits or probabilities).
 * 2. Otherwise the shapes must be equal (a trailing axis of 1 on either side is ignored):
 *    a. **categorical** — rank >= 2, last axis > 1 and every row of yTrue is a distribution
 *       (one-hot, or label-smoothed): argmax of yTrue against argmax of yPred;
 *    b. **labels** — every value of yPred is an integer: class ids compared as they are;
 *    c. **binary** — otherwise yPred holds probabilities: `yPred > threshold` (default 0.5)
 *       against yTrue in {0, 1}, element by element.
 *
 * The rule is applied per batch. Inputs it cannot tell apart — a multi-label batch in
 * which every sample has exactly one label reads as categorical — need the explicit
 * variants: {@link binaryAccuracy}, {@link categoricalAccuracy},
 * {@link sparseCategoricalAccuracy}; {@link tokenAccuracy} for sequences with padding.
 *
 * `sampleWeight`: one weight per sample, or any prefix of the sample shape (a weight per
 * image for per-pixel labels). Empty input gives `zeroDivision` (default 0).
 *
 * @example
 * ```ts
 * accuracy.compute([2, 0, 1], [[0.1, 0.2, 0.7], [0.9, 0.05, 0.05], [0.3, 0.3, 0.4]]); // 2/3
 * accuracy.compute([1, 0, 1, 1], [0.8, 0.4, 0.3, 0.9]);                              // 0.75 (binary)
 * const acc = accuracy();
 * acc.update(labels, logits);   // per batch
 * acc.result();
 * ```
 *
 * @group Classification
 */
export const accuracy: MetricFactory<AccuracyOptions, number, NumericInput, NumericInput, Metric<number>> =
  defineMetric((options: AccuracyOptions) => new Accuracy(options));

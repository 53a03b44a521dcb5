import type { Metric, MetricOptions } from '../metric.js';

/**
 * Options shared by the metrics built on a confusion matrix.
 *
 * @example
 * ```ts
 * const p = precision({ numClasses: 3, average: 'macro', zeroDivision: NaN });
 * ```
 */
export interface ClassificationOptions extends MetricOptions {
  /**
   * The number of classes K. Optional when yPred has a class axis (K is its size) or the
   * task is binary; required for multiclass integer predictions (ids compared with ids).
   */
  numClasses?: number;
  /** Binary decision threshold: `yPred > threshold` is class 1. Default 0.5; 0 for logits. */
  threshold?: number;
  /**
   * How to read the inputs. `'auto'` (default) reads as {@link accuracy} does: class
   * scores with a class axis → argmax; one-hot targets → argmax of both; integer
   * predictions → class ids; probabilities → binary with `threshold`. `'binary'` thresholds
   * every element (multi-label inputs are micro-averaged over labels); `'multiclass'`
   * never thresholds.
   */
  task?: 'auto' | 'binary' | 'multiclass';
  /** Targets equal to this value are skipped (e.g. 255 for void pixels, -100 for padding). */
  ignoreIndex?: number;
  /** The value of a 0/0 ratio: 0, 1 or NaN. The default is stated by each metric. */
  zeroDivision?: number;
}

/**
 * How per-class values become one number (scikit-learn's `average`).
 * - `'binary'`: the value for class 1 (the positive class); needs 2 classes.
 * - `'micro'`: the formula on tp, fp, fn, tn summed over classes (for single-label
 *   multiclass input, micro precision = recall = F1 = accuracy).
 * - `'macro'`: the unweighted mean over the classes that occur in yTrue or yPred (classes
 *   never seen are left out, as scikit-learn's default labels and torchmetrics).
 * - `'weighted'`: the mean weighted by support (the weighted count of each true class).
 *
 * With `zeroDivision: NaN`, undefined per-class values are left out of macro and weighted
 * means (scikit-learn's `_nanaverage`).
 *
 * @example
 * ```ts
 * const avg: Average = 'weighted';
 * ```
 */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted';

/**
 * Options of the metrics that average per-class values: {@link precision}, {@link recall},
 * {@link f1Score}, {@link fBetaScore}, {@link specificity}.
 *
 * @example
 * ```ts
 * recall({ average: 'macro' });
 * ```
 */
export interface AveragedOptions extends ClassificationOptions {
  /** How to combine classes. Default `'binary'` with 2 classes, `'macro'` otherwise. */
  average?: Average;
}

/**
 * A metric with per-class values and an average: what {@link precision}, {@link recall},
 * {@link f1Score}, {@link fBetaScore} and {@link specificity} return.
 *
 * @example
 * ```ts
 * const p = precision({ average: 'macro' });
 * p.update([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1].map((c) => [c === 0 ? 1 : 0, c === 1 ? 1 : 0, c === 2 ? 1 : 0]));
 * p.result();   // the macro average
 * p.perClass(); // [0.667, 0, 0] — scikit-learn's average=None
 * ```
 */
export interface ClassAveragedMetric extends Metric<number> {
  /**
   * The value of every class 0..K-1, one-vs-rest (scikit-learn's `average=None`); classes
   * with a 0/0 get `zeroDivision`. Empty before K is known.
   */
  perClass(): number[];
}


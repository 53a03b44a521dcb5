import type { Metric, MetricOptions } from '../metric.js';

/**
 * Options shared by the metrics built on a confusion matrix.
 *
 * @example
 * ```ts
 * const p = precision({ numClasses: 3, average: 'macro', zeroDivision: NaN });
 * ```
 *
 * @group Classification
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
 *
 * @group Classification
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
 *
 * @group Classification
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
 *
 * @group Classification
 */
export interface ClassAveragedMetric extends Metric<number> {
  /**
   * The value of every class 0..K-1, one-vs-rest (scikit-learn's `average=None`); classes
   * with a 0/0 get `zeroDivision`. Empty before K is known.
   */
  perClass(): number[];
}


/**
 * Options shared by the metrics that keep every score: {@link rocCurve}, {@link rocAuc},
 * {@link precisionRecallCurve}, {@link averagePrecision}.
 *
 * Inputs: binary targets (0/1) with one score per sample (probability, logit or any score;
 * only the order matters), class ids `S` with class scores `[...S, K]` (one-vs-rest per
 * class), or 0/1 indicators of yPred's shape `[N, K]` (one-hot or multi-label).
 *
 * @example
 * ```ts
 * rocAuc({ average: 'weighted', numClasses: 5 });
 * ```
 *
 * @group Classification
 */
export interface CurveOptions extends MetricOptions {
  /** Expected number of classes of class-score input (checked). Default: from yPred. */
  numClasses?: number;
  /** Targets equal to this value are skipped (class ids and binary targets). */
  ignoreIndex?: number;
  /**
   * How per-class (one-vs-rest) values combine for multiclass or multi-label input:
   * `'macro'` (default; mean over classes), `'weighted'` (by each class's weighted number of
   * positives) or `'micro'` (every (sample, class) pair pooled into one binary problem).
   * Ignored for binary input.
   */
  average?: 'macro' | 'weighted' | 'micro';
  /** The value when a summary is undefined (no positives, or no negatives). Default stated by each metric. */
  zeroDivision?: number;
}

/**
 * Options of {@link rocCurve}.
 *
 * @example
 * ```ts
 * rocCurve({ classNames: ['cat', 'dog', 'bird'], dropIntermediate: false });
 * ```
 *
 * @group Classification
 */
export interface RocCurveOptions extends CurveOptions {
  /**
   * Drop thresholds whose point is collinear with its neighbours (as scikit-learn's
   * `drop_intermediate`). It changes neither the AUC nor the drawn curve. Default true.
   */
  dropIntermediate?: boolean;
  /** Names of the curves: one per class (one for binary input). Default `class k`. */
  classNames?: string[];
}

/**
 * One ROC curve (of the positive class, or of one class against the rest).
 *
 * @example
 * ```ts
 * const { fpr, tpr, auc } = rocCurve.compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).curves[0];
 * ```
 *
 * @group Classification
 */
export interface RocCurve {
  /** The class the curve is for (a name from `classNames`, else `class k`). */
  label: string;
  /** False positive rates, increasing from 0 to 1 (NaN when there are no negatives). */
  fpr: number[];
  /** True positive rates, increasing from 0 to 1 (NaN when there are no positives). */
  tpr: number[];
  /** Decreasing thresholds: point i counts `score >= thresholds[i]` as positive; the first is +Infinity. */
  thresholds: number[];
  /** The area under this curve (trapezoidal), or `zeroDivision` when undefined. */
  auc: number;
}

/**
 * What {@link rocCurve} returns.
 *
 * @example
 * ```ts
 * const roc = rocCurve.compute(labels, probs);
 * console.log(roc.auc, roc.curves.length);
 * ```
 *
 * @group Classification
 */
export interface RocCurveResult {
  /** One curve for binary input, one per class (one-vs-rest) otherwise. */
  curves: RocCurve[];
  /** The AUC: binary, or averaged over classes by `average`. */
  auc: number;
}

/**
 * Options of {@link precisionRecallCurve}.
 *
 * @example
 * ```ts
 * precisionRecallCurve({ classNames: ['neg', 'pos'] });
 * ```
 *
 * @group Classification
 */
export interface PrecisionRecallCurveOptions extends CurveOptions {
  /** Names of the curves: one per class (one for binary input). Default `class k`. */
  classNames?: string[];
}

/**
 * One precision–recall curve.
 *
 * @example
 * ```ts
 * const { precision, recall } = precisionRecallCurve.compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).curves[0];
 * ```
 *
 * @group Classification
 */
export interface PrecisionRecallCurve {
  /** The class the curve is for. */
  label: string;
  /** Precision at each threshold, then a final 1. */
  precision: number[];
  /** Recall at each threshold (decreasing), then a final 0. */
  recall: number[];
  /** Increasing thresholds; point i counts `score >= thresholds[i]` as positive. */
  thresholds: number[];
  /** Average precision of this curve, or `zeroDivision` without positives. */
  averagePrecision: number;
}

/**
 * What {@link precisionRecallCurve} returns.
 *
 * @example
 * ```ts
 * const pr = precisionRecallCurve.compute(labels, probs);
 * console.log(pr.averagePrecision);
 * ```
 *
 * @group Classification
 */
export interface PrecisionRecallCurveResult {
  /** One curve for binary input, one per class (one-vs-rest) otherwise. */
  curves: PrecisionRecallCurve[];
  /** Average precision: binary, or averaged over classes by `average`. */
  averagePrecision: number;
}

import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { rocFromCurve, trapezoid } from '../internal/curves.js';
import { ScoreMetric, checkClassNames, curveLabels } from '../internal/scores.js';
import type { RocCurve, RocCurveOptions, RocCurveResult } from './types.js';

/**
 * ROC curves and AUCs from a score store; shared by {@link rocCurve} and {@link rocAuc}.
 *
 * @group Classification
 */
export class RocMetric<R> extends ScoreMetric<R, RocCurveOptions> {
  private readonly dropIntermediate: boolean;
  private readonly classNames: string[] | null;

  constructor(options: RocCurveOptions, kind: string, defaultName: string, private readonly summaryOnly: boolean) {
    super(kind, defaultName, options, NaN);
    this.dropIntermediate = options.dropIntermediate !== false;
    this.classNames = checkClassNames(this.unit, options.classNames);
  }

  /** Every curve, or none before data arrives. */
  curves(): RocCurve[] {
    const K = this.store.columns;
    if (K === null) return [];
    const labels = curveLabels(this.unit, this.classNames, K);
    return Array.from({ length: K }, (_, k) => {
      const points = rocFromCurve(this.store.curve(k), this.dropIntermediate);
      const defined = !Number.isNaN(points.fpr[0]) && !Number.isNaN(points.tpr[0]);
      return { label: labels[k], ...points, auc: defined ? trapezoid(points.fpr, points.tpr) : this.cfg.zeroDivision };
    });
  }

  /** The AUC by `average`; undefined classes are zeroDivision (skipped when it is NaN). */
  auc(curves: RocCurve[]): number {
    if (curves.length === 0) return this.cfg.zeroDivision;
    if (curves.length > 1 && this.cfg.average === 'micro') {
      const points = rocFromCurve(this.store.microCurve(), false);
      if (Number.isNaN(points.fpr[0]) || Number.isNaN(points.tpr[0])) return this.cfg.zeroDivision;
      return trapezoid(points.fpr, points.tpr);
    }
    return this.combine(curves.map((c) => c.auc));
  }

  result(): R {
    const curves = this.curves();
    const auc = this.auc(curves);
    return (this.summaryOnly ? auc : { curves, auc }) as R;
  }

  protected override config(): Record<string, unknown> {
    return { ...super.config(), dropIntermediate: this.dropIntermediate, classNames: this.classNames };
  }
}

class RocCurveMetric extends RocMetric<RocCurveResult> {
  constructor(options: RocCurveOptions) {
    super(options, 'RocCurve', 'rocCurve', false);
  }
}

/**
 * Receiver operating characteristic curve(s), exact: every score is kept and the curve has
 * a point at every distinct score, as `sklearn.metrics.roc_curve`.
 *
 * For each threshold τ (the distinct scores, decreasing, after +Infinity):
 * `TPR(τ) = Σ_{y=1, s≥τ} w / Σ_{y=1} w` and `FPR(τ) = Σ_{y=0, s≥τ} w / Σ_{y=0} w`.
 * Tied scores share one threshold, so a tie between a positive and a negative is a
 * diagonal segment, worth half in the AUC (trapezoidal rule). Binary input gives one
 * curve; class scores give one curve per class, one-vs-rest. `auc` is the binary AUC, or
 * the per-class AUCs combined by `average` (default macro).
 *
 * A curve without positives or negatives has NaN rates and an AUC of `zeroDivision`
 * (default NaN, as scikit-learn returns for one class). Memory: all scores are kept —
 * 9·K + 8 bytes per sample for K columns. Draw it with {@link rocCurveSvg}.
 *
 * Reference: Fawcett, T. (2006), "An introduction to ROC analysis", Pattern Recognition
 * Letters 27(8). https://doi.org/10.1016/j.patrec.2005.10.010
 *
 * @example
 * ```ts
 * // sklearn roc_curve docstring: fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1],
 * // thresholds [Infinity, 0.8, 0.4, 0.35, 0.1]; AUC 0.75
 * const { curves, auc } = rocCurve.compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * ```
 *
 * @group Classification
 */
export const rocCurve: MetricFactory<RocCurveOptions, RocCurveResult, NumericInput, NumericInput, Metric<RocCurveResult>> =
  defineMetric((options: RocCurveOptions) => new RocCurveMetric(options));

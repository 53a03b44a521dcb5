import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { averagePrecisionOf, prFromCurve } from '../internal/curves.js';
import { ScoreMetric, checkClassNames, curveLabels } from '../internal/scores.js';
import type { PrecisionRecallCurve, PrecisionRecallCurveOptions, PrecisionRecallCurveResult } from './types.js';

/**
 * Precision–recall curves and AP from a score store; shared with {@link averagePrecision}.
 *
 * @group Classification
 */
export class PrMetric<R> extends ScoreMetric<R, PrecisionRecallCurveOptions> {
  private readonly classNames: string[] | null;

  constructor(options: PrecisionRecallCurveOptions, kind: string, defaultName: string, private readonly summaryOnly: boolean) {
    super(kind, defaultName, options, 0);
    this.classNames = checkClassNames(this.unit, options.classNames);
  }

  curves(): PrecisionRecallCurve[] {
    const K = this.store.columns;
    if (K === null) return [];
    const labels = curveLabels(this.unit, this.classNames, K);
    return Array.from({ length: K }, (_, k) => {
      const curve = this.store.curve(k);
      const points = prFromCurve(curve);
      const positives = curve.tps.length === 0 ? 0 : curve.tps[curve.tps.length - 1];
      return { label: labels[k], ...points, averagePrecision: positives > 0 ? averagePrecisionOf(points) : this.cfg.zeroDivision };
    });
  }

  averagePrecision(curves: PrecisionRecallCurve[]): number {
    if (curves.length === 0) return this.cfg.zeroDivision;
    if (curves.length > 1 && this.cfg.average === 'micro') {
      const curve = this.store.microCurve();
      const positives = curve.tps.length === 0 ? 0 : curve.tps[curve.tps.length - 1];
      return positives > 0 ? averagePrecisionOf(prFromCurve(curve)) : this.cfg.zeroDivision;
    }
    return this.combine(curves.map((c) => c.averagePrecision));
  }

  result(): R {
    const curves = this.curves();
    const ap = this.averagePrecision(curves);
    return (this.summaryOnly ? ap : { curves, averagePrecision: ap }) as R;
  }

  protected override config(): Record<string, unknown> {
    return { ...super.config(), classNames: this.classNames };
  }
}

class PrecisionRecallCurveMetric extends PrMetric<PrecisionRecallCurveResult> {
  constructor(options: PrecisionRecallCurveOptions) {
    super(options, 'PrecisionRecallCurve', 'precisionRecallCurve', false);
  }
}

/**
 * Precision–recall curve(s), exact (every score kept), as
 * `sklearn.metrics.precision_recall_curve`.
 *
 * For each distinct score τ (increasing): `P(τ) = TP(τ) / (TP(τ) + FP(τ))` and
 * `R(τ) = TP(τ) / P` with counts of `score >= τ`, weighted; a final point (R = 0, P = 1)
 * has no threshold. Without positives recall is 1 everywhere (scikit-learn's convention)
 * and the average precision is `zeroDivision` (default 0, the value scikit-learn computes).
 * Class scores give one curve per class, one-vs-rest; `averagePrecision` combines them by
 * `average`.
 *
 * Memory: all scores are kept — 9·K + 8 bytes per sample for K columns.
 *
 * @example
 * ```ts
 * // sklearn docstring: precision [0.5, 0.667, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0],
 * // thresholds [0.1, 0.35, 0.4, 0.8]
 * const { curves } = precisionRecallCurve.compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
 * ```
 *
 * @group Classification
 */
export const precisionRecallCurve: MetricFactory<
  PrecisionRecallCurveOptions,
  PrecisionRecallCurveResult,
  NumericInput,
  NumericInput,
  Metric<PrecisionRecallCurveResult>
> = defineMetric((options: PrecisionRecallCurveOptions) => new PrecisionRecallCurveMetric(options));

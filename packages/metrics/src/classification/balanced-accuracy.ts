import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { ConfusionMetric, classCounts } from '../internal/confusion.js';
import type { ClassificationOptions } from './types.js';

/**
 * Options of {@link balancedAccuracy}.
 *
 * @example
 * ```ts
 * balancedAccuracy({ adjusted: true }); // chance level → 0
 * ```
 *
 * @group Classification
 */
export interface BalancedAccuracyOptions extends ClassificationOptions {
  /** Rescale so that chance (1/K for K classes present) scores 0 and perfect 1. Default false. */
  adjusted?: boolean;
}

class BalancedAccuracy extends ConfusionMetric<number, BalancedAccuracyOptions> {
  private readonly adjusted: boolean;

  constructor(options: BalancedAccuracyOptions) {
    super('BalancedAccuracy', 'balancedAccuracy', options, 0);
    this.adjusted = options.adjusted === true;
  }

  result(): number {
    const K = this.counts.classes;
    if (K === null) return this.zeroDivision;
    const c = classCounts(this.counts.matrix!, K);
    let sum = 0;
    let present = 0;
    for (let k = 0; k < K; k++) {
      if (c.support[k] === 0) continue; // classes absent from yTrue are left out, as scikit-learn
      sum += c.tp[k] / c.support[k];
      present++;
    }
    if (present === 0) return this.zeroDivision;
    const score = sum / present;
    if (!this.adjusted) return score;
    const chance = 1 / present;
    return (score - chance) / (1 - chance);
  }

  protected override config(): Record<string, unknown> {
    return { ...super.config(), adjusted: this.adjusted };
  }
}

/**
 * Balanced accuracy: the mean recall over the classes present in yTrue, robust to class
 * imbalance.
 *
 * Formula: `BA = (1/|C|) Σ_{k∈C} tp_k / (tp_k + fn_k)` over the classes C with support;
 * with `adjusted`, `(BA − 1/|C|) / (1 − 1/|C|)`. Matches
 * `sklearn.metrics.balanced_accuracy_score` (which also drops classes only predicted).
 * Empty input gives `zeroDivision` (default 0).
 *
 * Reference: Brodersen, Ong, Stephan, Buhmann (2010), "The balanced accuracy and its
 * posterior distribution", ICPR. https://doi.org/10.1109/ICPR.2010.764
 *
 * @example
 * ```ts
 * balancedAccuracy.compute([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]); // 0.625
 * ```
 *
 * @group Classification
 */
export const balancedAccuracy: MetricFactory<BalancedAccuracyOptions, number, NumericInput, NumericInput, Metric<number>> =
  defineMetric((options: BalancedAccuracyOptions) => new BalancedAccuracy(options));

import { oneOf } from '@tensorloom/core';
import type { VarianceScoreOptions } from '../regression/types.js';

import type { RegressionStats } from './regression.js';
import { RegressionBase } from './regression.js';

/**
 * R² and explained variance: `1 − numerator / denominator` per output with scikit-learn's
 * `force_finite` rule (a constant target scores 1 if predicted exactly, else 0) and its
 * `variance_weighted` average.
 */
export abstract class VarianceScore extends RegressionBase<VarianceScoreOptions> {
  private readonly multioutput: 'uniformAverage' | 'varianceWeighted';

  constructor(kind: string, defaultName: string, options: VarianceScoreOptions) {
    super(kind, defaultName, options);
    this.multioutput =
      options.multioutput === undefined
        ? 'uniformAverage'
        : oneOf<'uniformAverage' | 'varianceWeighted'>(this.unit, 'multioutput', options.multioutput, [
            'uniformAverage',
            'varianceWeighted',
          ]);
  }

  /** [numerator, denominator] of output d; NaN numerator marks "undefined". */
  protected abstract parts(s: RegressionStats, d: number): [number, number];

  protected perOutputValue(s: RegressionStats, d: number): number {
    const [num, den] = this.parts(s, d);
    if (Number.isNaN(num)) return NaN;
    if (den === 0) return num === 0 ? 1 : 0;
    return 1 - num / den;
  }

  override result(): number {
    const values = this.perOutput();
    const s = this.stats;
    if (values.length === 0 || s === null) return this.zeroDivision;
    if (this.multioutput === 'varianceWeighted') {
      const dens = values.map((_, d) => this.parts(s, d)[1]);
      const total = dens.reduce((a, b) => a + b, 0);
      if (total > 0) return values.reduce((acc, v, d) => acc + (v * dens[d]) / total, 0);
    }
    return values.reduce((a, b) => a + b, 0) / values.length;
  }

  protected override config(): Record<string, unknown> {
    return { ...super.config(), multioutput: this.multioutput };
  }
}

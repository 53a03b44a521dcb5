import { oneOf } from '@tensorloom/core';
import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';

import { ConfusionMetric } from '../internal/confusion.js';
import type { ClassificationOptions } from './types.js';

/**
 * Options of {@link confusionMatrix}.
 *
 * @example
 * ```ts
 * confusionMatrix({ numClasses: 10, normalize: 'true' }); // rows sum to 1: per-class recall on the diagonal
 * ```
 *
 * @group Classification
 */
export interface ConfusionMatrixOptions extends ClassificationOptions {
  /**
   * `'none'` (default): weighted counts. `'true'`: each row divided by its sum (the true
   * class's count). `'pred'`: each column divided by its sum. `'all'`: everything divided by
   * the total. A row or column that sums to 0 gives `zeroDivision` (default 0, as
   * scikit-learn).
   */
  normalize?: 'none' | 'true' | 'pred' | 'all';
}

class ConfusionMatrix extends ConfusionMetric<number[][], ConfusionMatrixOptions> {
  private readonly normalize: 'none' | 'true' | 'pred' | 'all';

  constructor(options: ConfusionMatrixOptions) {
    super('ConfusionMatrix', 'confusionMatrix', options, 0);
    this.normalize =
      options.normalize === undefined
        ? 'none'
        : oneOf<'none' | 'true' | 'pred' | 'all'>(this.unit, 'normalize', options.normalize, ['none', 'true', 'pred', 'all']);
  }

  result(): number[][] {
    const rows = this.counts.rows();
    const K = rows.length;
    if (this.normalize === 'none') return rows;
    const div = (v: number, d: number): number => (d === 0 ? this.zeroDivision : v / d);
    if (this.normalize === 'true') return rows.map((r) => r.map((v) => div(v, r.reduce((a, b) => a + b, 0))));
    if (this.normalize === 'pred') {
      const cols = Array.from({ length: K }, (_, j) => rows.reduce((a, r) => a + r[j], 0));
      return rows.map((r) => r.map((v, j) => div(v, cols[j])));
    }
    const total = rows.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);
    return rows.map((r) => r.map((v) => div(v, total)));
  }

  protected override config(): Record<string, unknown> {
    return { ...super.config(), normalize: this.normalize };
  }
}

/**
 * Confusion matrix: `C[i][j]` is the (weighted) number of samples of true class i predicted
 * as class j, as `sklearn.metrics.confusion_matrix` (rows: truth, columns: prediction).
 *
 * Classes are 0..K−1, K from `numClasses`, yPred's class axis, or 2 for binary input.
 * `normalize` turns counts into rates over rows (`'true'`), columns (`'pred'`) or the total
 * (`'all'`). The result is empty (`[]`) before K is known. Render it with
 * {@link confusionMatrixSvg} or {@link formatTable}.
 *
 * @example
 * ```ts
 * confusionMatrix.compute([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], { numClasses: 3 });
 * // [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
 * ```
 *
 * @group Classification
 */
export const confusionMatrix: MetricFactory<ConfusionMatrixOptions, number[][], NumericInput, NumericInput, Metric<number[][]>> =
  defineMetric((options: ConfusionMatrixOptions) => new ConfusionMatrix(options));

import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { Dice } from './dice.js';
import type { SegmentationOptions } from './types.js';

class MeanDice extends Dice<number> {
  constructor(options: SegmentationOptions) {
    super(options, 'MeanDice', 'meanDice');
  }

  override result(): number {
    return this.meanOverPresent();
  }
}

/**
 * Mean Dice: the mean of {@link dice} over the classes that occur in the targets or the
 * predictions (absent classes left out). No pixels: `zeroDivision` (default NaN).
 *
 * Formula: `(1/|C|) Σ_{k∈C} 2tp_k / (2tp_k + fp_k + fn_k)`.
 *
 * @example
 * ```ts
 * meanDice.compute([[0, 0, 1, 1]], [[0, 1, 1, 1]], { numClasses: 2 }); // (0.6667 + 0.8) / 2
 * ```
 *
 * @group Segmentation
 */
export const meanDice: MetricFactory<SegmentationOptions, number, NumericInput, NumericInput, Metric<number>> = defineMetric(
  (options: SegmentationOptions) => new MeanDice(options),
);

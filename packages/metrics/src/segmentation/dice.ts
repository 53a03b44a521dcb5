import type { MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { OverlapMetric } from '../internal/segmentation.js';
import type { PerClassMetric, SegmentationOptions } from './types.js';

/**
 * Per-class Dice; also the base of {@link meanDice}.
 *
 * @group Segmentation
 */
export class Dice<R = number[]> extends OverlapMetric<R> {
  constructor(options: SegmentationOptions, kind = 'Dice', defaultName = 'dice') {
    super(kind, defaultName, options, NaN);
  }

  /** 2tp / (2tp + fp + fn); a zero denominator marks a class seen nowhere. */
  protected ratio(tp: number, fp: number, fn: number): [number, number] {
    return [2 * tp, 2 * tp + fp + fn];
  }

  result(): R {
    return this.perClass() as R;
  }
}

/**
 * Dice coefficient (Sørensen–Dice, the F1 score of a class's pixels) per class.
 *
 * Formula, per class k over the (weighted) pixel confusion matrix:
 * `Dice_k = 2|P_k ∩ T_k| / (|P_k| + |T_k|) = 2tp_k / (2tp_k + fp_k + fn_k)`; related to IoU
 * by `Dice = 2·IoU / (1 + IoU)`. A class that occurs nowhere gets `zeroDivision` (default
 * NaN). `ignoreIndex` pixels are skipped; counts accumulate over the dataset.
 *
 * Reference: Dice, L. R. (1945), "Measures of the Amount of Ecologic Association Between
 * Species", Ecology 26(3). https://doi.org/10.2307/1932409
 *
 * @example
 * ```ts
 * dice.compute([[0, 0, 1, 1]], [[0, 1, 1, 1]], { numClasses: 2 }); // [0.6667, 0.8]
 * ```
 *
 * @group Segmentation
 */
export const dice: MetricFactory<SegmentationOptions, number[], NumericInput, NumericInput, PerClassMetric> = defineMetric(
  (options: SegmentationOptions) => new Dice(options),
);

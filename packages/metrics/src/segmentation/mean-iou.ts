import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { IoU } from './iou.js';
import type { SegmentationOptions } from './types.js';

class MeanIoU extends IoU<number> {
  constructor(options: SegmentationOptions) {
    super(options, 'MeanIoU', 'meanIoU');
  }

  override result(): number {
    return this.meanOverPresent();
  }
}

/**
 * Mean intersection over union: the mean of {@link iou} over the classes that occur in the
 * targets or the predictions.
 *
 * Formula: `mIoU = (1/|C|) Σ_{k∈C} tp_k / (tp_k + fp_k + fn_k)`, C the classes with
 * `tp + fp + fn > 0` (absent classes are left out, as mmsegmentation's nanmean). No pixels
 * at all: `zeroDivision` (default NaN). `ignoreIndex` pixels are skipped.
 *
 * Reference: Long, Shelhamer, Darrell (2015), "Fully Convolutional Networks for Semantic
 * Segmentation", CVPR (§5). https://arxiv.org/abs/1411.4038
 *
 * @example
 * ```ts
 * meanIoU.compute([[0, 0, 1, 1]], [[0, 1, 1, 1]], { numClasses: 3 }); // (0.5 + 0.6667) / 2
 * ```
 *
 * @group Segmentation
 */
export const meanIoU: MetricFactory<SegmentationOptions, number, NumericInput, NumericInput, Metric<number>> = defineMetric(
  (options: SegmentationOptions) => new MeanIoU(options),
);

import type { MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { OverlapMetric } from '../internal/segmentation.js';
import type { PerClassMetric, SegmentationOptions } from './types.js';

/**
 * Per-class IoU; also the base of {@link meanIoU}.
 *
 * @group Segmentation
 */
export class IoU<R = number[]> extends OverlapMetric<R> {
  constructor(options: SegmentationOptions, kind = 'IoU', defaultName = 'iou') {
    super(kind, defaultName, options, NaN);
  }

  /** tp / (tp + fp + fn); a zero denominator marks a class seen nowhere. */
  protected ratio(tp: number, fp: number, fn: number): [number, number] {
    return [tp, tp + fp + fn];
  }

  result(): R {
    return this.perClass() as R;
  }
}

/**
 * Intersection over union (Jaccard index) per class, over all pixels seen.
 *
 * Formula, per class k over the (weighted) pixel confusion matrix:
 * `IoU_k = |P_k ∩ T_k| / |P_k ∪ T_k| = tp_k / (tp_k + fp_k + fn_k)`. A class that occurs in
 * neither targets nor predictions gets `zeroDivision` (default NaN). Pixels whose target is
 * `ignoreIndex` are skipped. The counts accumulate over batches (dataset-level IoU, as
 * mmsegmentation and torchmetrics), not a mean of per-image IoUs.
 *
 * Reference: Everingham et al. (2010), "The PASCAL Visual Object Classes (VOC) Challenge",
 * IJCV 88. https://doi.org/10.1007/s11263-009-0275-4
 *
 * @example
 * ```ts
 * iou.compute([[0, 0, 1, 1]], [[0, 1, 1, 1]], { numClasses: 2 }); // [0.5, 0.6667]
 * ```
 *
 * @group Segmentation
 */
export const iou: MetricFactory<SegmentationOptions, number[], NumericInput, NumericInput, PerClassMetric> = defineMetric(
  (options: SegmentationOptions) => new IoU(options),
);

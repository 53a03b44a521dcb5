import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { divide } from '../internal/checks.js';
import { SegmentationMetric } from '../internal/segmentation.js';
import type { SegmentationOptions } from './types.js';

class PixelAccuracy extends SegmentationMetric<number> {
  constructor(options: SegmentationOptions) {
    super('PixelAccuracy', 'pixelAccuracy', options, 0);
  }

  result(): number {
    const c = this.perClassCounts();
    if (c === null) return this.zeroDivision;
    const correct = c.tp.reduce((a, b) => a + b, 0);
    return divide(correct, c.total, this.zeroDivision);
  }
}

/**
 * Pixel accuracy: the fraction of (non-ignored) pixels whose predicted class is right.
 *
 * Formula: `Σ_k tp_k / Σ_k (tp_k + fn_k)` over the pixel confusion matrix; pixels whose
 * target is `ignoreIndex` are skipped. No pixels: `zeroDivision` (default 0).
 *
 * Reference: Long, Shelhamer, Darrell (2015), "Fully Convolutional Networks for Semantic
 * Segmentation", CVPR (§5). https://arxiv.org/abs/1411.4038
 *
 * @example
 * ```ts
 * pixelAccuracy.compute([[0, 255, 1, 1]], [[0, 1, 1, 0]], { numClasses: 2, ignoreIndex: 255 }); // 2/3
 * ```
 *
 * @group Segmentation
 */
export const pixelAccuracy: MetricFactory<SegmentationOptions, number, NumericInput, NumericInput, Metric<number>> =
  defineMetric((options: SegmentationOptions) => new PixelAccuracy(options));

import type { Metric, MetricOptions } from '../metric.js';

/**
 * Options of the segmentation metrics: {@link iou}, {@link meanIoU}, {@link dice},
 * {@link meanDice}, {@link pixelAccuracy}.
 *
 * Inputs: a label map `yTrue` of shape `S` (e.g. `[N, H, W]`, or `[N, H, W, 1]`) and either
 * class scores `[...S, K]` (argmax per pixel) or a predicted label map of shape `S`.
 *
 * @example
 * ```ts
 * meanIoU({ numClasses: 21, ignoreIndex: 255 }); // PASCAL VOC: 255 marks void pixels
 * ```
 *
 * @group Segmentation
 */
export interface SegmentationOptions extends MetricOptions {
  /** The number of classes K. Required when yPred is a label map; checked against a class axis. */
  numClasses?: number;
  /** Pixels whose target equals this value are skipped (void / unlabelled). */
  ignoreIndex?: number;
  /**
   * The value of a 0/0: a class that occurs in neither yTrue nor yPred (per-class results),
   * or no pixels at all. Default NaN for per-class and mean IoU / Dice, 0 for pixel accuracy.
   */
  zeroDivision?: number;
}

/**
 * A per-class segmentation metric ({@link iou}, {@link dice}): `result()` has one value per
 * class.
 *
 * @example
 * ```ts
 * const perClass = iou({ numClasses: 3 });
 * perClass.update(masks, logits);
 * perClass.result(); // [iou of class 0, of class 1, of class 2]
 * ```
 *
 * @group Segmentation
 */
export type PerClassMetric = Metric<number[]>;

/**
 * Streaming metrics for classification, segmentation, regression and sequences.
 *
 * Every metric is exported as a factory: call it for a stateful {@link Metric}
 * (`update` per batch, `result`, `reset`, `merge`), or use its `compute` for one shot.
 * Metrics take tensors or plain arrays, keep their state in small typed arrays (never
 * tensors) and validate shapes with messages that name the metric. A NaN or infinite
 * prediction is rejected with a `ValueError` naming the metric, the position and the value,
 * so a diverged model never reports a good score.
 *
 * @example
 * ```ts
 * import { accuracy, f1Score } from '@tensorloom/metrics';
 * const acc = accuracy();
 * const f1 = f1Score({ average: 'macro' });
 * for (const [labels, logits] of batches) { acc.update(labels, logits); f1.update(labels, logits); }
 * console.log(acc.result(), f1.result());
 * ```
 *
 * @packageDocumentation
 */
export type { Metric, MetricFactory, MetricOptions, ComputeOptions, NumericInput, NestedNumbers, TypedArray } from './metric.js';

export { accuracy } from './classification/accuracy.js';
export type { AccuracyOptions } from './classification/accuracy.js';
export { binaryAccuracy } from './classification/binary-accuracy.js';
export { categoricalAccuracy } from './classification/categorical-accuracy.js';
export { sparseCategoricalAccuracy } from './classification/sparse-categorical-accuracy.js';
export { topKAccuracy } from './classification/top-k-accuracy.js';
export type { TopKAccuracyOptions } from './classification/top-k-accuracy.js';

export type { ClassificationOptions, Average, AveragedOptions, ClassAveragedMetric } from './classification/types.js';
export { precision } from './classification/precision.js';
export { recall } from './classification/recall.js';
export { f1Score } from './classification/f1-score.js';
export { fBetaScore } from './classification/f-beta-score.js';
export type { FBetaOptions } from './classification/f-beta-score.js';
export { specificity } from './classification/specificity.js';
export { balancedAccuracy } from './classification/balanced-accuracy.js';
export type { BalancedAccuracyOptions } from './classification/balanced-accuracy.js';
export { matthewsCorrelation } from './classification/matthews-correlation.js';
export { cohenKappa } from './classification/cohen-kappa.js';
export type { CohenKappaOptions } from './classification/cohen-kappa.js';
export { confusionMatrix } from './classification/confusion-matrix.js';
export type { ConfusionMatrixOptions } from './classification/confusion-matrix.js';
export type {
  CurveOptions,
  RocCurveOptions,
  RocCurve,
  RocCurveResult,
  PrecisionRecallCurveOptions,
  PrecisionRecallCurve,
  PrecisionRecallCurveResult,
} from './classification/types.js';
export { rocCurve } from './classification/roc-curve.js';
export { rocAuc } from './classification/roc-auc.js';
export { precisionRecallCurve } from './classification/precision-recall-curve.js';
export { averagePrecision } from './classification/average-precision.js';
export { logLoss } from './classification/log-loss.js';
export type { LogLossOptions } from './classification/log-loss.js';
export { calibrationError } from './classification/calibration-error.js';
export type { CalibrationErrorOptions } from './classification/calibration-error.js';

export type { SegmentationOptions, PerClassMetric } from './segmentation/types.js';
export { iou } from './segmentation/iou.js';
export { meanIoU } from './segmentation/mean-iou.js';
export { dice } from './segmentation/dice.js';
export { meanDice } from './segmentation/mean-dice.js';
export { pixelAccuracy } from './segmentation/pixel-accuracy.js';

export type { RegressionOptions, RegressionMetric, VarianceScoreOptions } from './regression/types.js';
export { meanSquaredError } from './regression/mean-squared-error.js';
export { rootMeanSquaredError } from './regression/root-mean-squared-error.js';
export { meanAbsoluteError } from './regression/mean-absolute-error.js';
export { meanAbsolutePercentageError } from './regression/mean-absolute-percentage-error.js';
export { r2Score } from './regression/r2-score.js';
export { explainedVariance } from './regression/explained-variance.js';

export type { TokenSequence, TextBatch, ErrorRateOptions } from './text/types.js';
export { perplexity } from './text/perplexity.js';
export type { PerplexityOptions } from './text/perplexity.js';
export { tokenAccuracy } from './text/token-accuracy.js';
export type { TokenAccuracyOptions } from './text/token-accuracy.js';
export { editDistance } from './text/edit-distance.js';
export type { EditDistanceOptions } from './text/edit-distance.js';
export { cer } from './text/cer.js';
export { wer } from './text/wer.js';
export { per } from './text/per.js';
export { bleu } from './text/bleu.js';
export type { BleuOptions, BleuReferences } from './text/bleu.js';

export { featureStatistics, frechetDistance, frechetDistanceFromMoments, type FeatureMoments, type FeatureStatistics } from './generative/frechet-distance.js';

export { confusionMatrixSvg } from './render/confusion-matrix-svg.js';
export type { ConfusionMatrixSvgOptions } from './render/confusion-matrix-svg.js';
export { rocCurveSvg } from './render/roc-curve-svg.js';
export type { RocCurveSvgOptions } from './render/roc-curve-svg.js';
export { formatTable } from './render/format-table.js';
export type { FormatTableOptions } from './render/format-table.js';

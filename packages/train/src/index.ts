/**
 * Losses, optimizers, schedules, regularization, the fit loop, callbacks, checkpoints and reports.
 *
 * @packageDocumentation
 */
export * as losses from './losses/index.js';
export type { Loss, Reduction } from './losses/loss.js';
export * as optimizers from './optimizers/index.js';
export type { Optimizer, OptimizerState, ParamGroup } from './optimizers/optimizer.js';
export * as schedules from './schedules/index.js';
export type { Schedule } from './schedules/schedule.js';
export { clipByValue, clipByNorm, clipByGlobalNorm } from './clipping/clipping.js';
export type { GlobalNormClipResult } from './clipping/clipping.js';
export { ema } from './ema/ema.js';
export type { WeightsEma, EmaOptions } from './ema/ema.js';
export { valueAndGrads } from './step/value-and-grads.js';
export type { AnyModule, LossAndGrads, ValueAndGradsOptions } from './step/value-and-grads.js';
export { trainStep } from './step/train-step.js';
export type { TrainStep, TrainStepConfig, StepOutput, ClipOptions } from './step/train-step.js';
export { fit } from './fit/fit.js';
export type { FitOptions } from './fit/fit.js';
export { evaluate, predict } from './fit/evaluate.js';
export type { EvaluateOptions } from './fit/evaluate.js';
export { History } from './fit/history.js';
export type { StepRecord, HistoryJSON } from './fit/history.js';
export type { Batch, BatchLike, BatchObject, BatchShapes, BatchTuple, DataSource, EpochContext } from './fit/batch.js';
export type { FitStep, FitStepOutput, StepContext } from './fit/step.js';
export { TrainingError } from './fit/training-error.js';
/**
 * Training callbacks: `earlyStopping`, `checkpoint`, `reduceLrOnPlateau`, `terminateOnNaN`,
 * `csvLogger`, `jsonlLogger`, `learningRateScheduler`, `lambda`, `tensorBoard`, `progress`.
 *
 * @example
 * ```ts
 * callbacks: [callbacks.earlyStopping({ monitor: 'val.loss', patience: 2 }), callbacks.checkpoint({ store })]
 * ```
 */
export * as callbacks from './callbacks/index.js';
export { memoryStore } from './checkpoint/store.js';
export type { CheckpointStore } from './checkpoint/store.js';
export { reportSvg, reportHtml, historyFromJsonl } from './report/report.js';
export type { ReportOptions } from './report/report.js';
export { ganStep, gradientPenalty } from './step/gan-step.js';
export type { GanStepOptions } from './step/gan-step.js';
export { vaeStep, klWeight } from './step/vae-step.js';
export type { VaeStepOptions } from './step/vae-step.js';
export { lrFinder } from './lr-finder/lr-finder.js';
export type { LrFinderOptions, LrFinderResult } from './lr-finder/lr-finder.js';

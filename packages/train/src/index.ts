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
export { ema } from './ema/ema.js';
export type { WeightsEma, EmaOptions } from './ema/ema.js';

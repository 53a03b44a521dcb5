/**
 * Learning-rate schedules: pure functions of the optimizer step (0-based), composable
 * (`linearWarmup` goes before any of them), each carrying its `config` for saving.
 *
 * @example
 * ```ts
 * import { schedules } from '@tensorloom/train';
 * const lr = schedules.linearWarmup({ steps: 100, then: schedules.cosine({ initial: 1e-3, steps: 4900 }) });
 * ```
 *
 * @module
 */
export type { Schedule } from './schedule.js';
export { constant } from './constant.js';
export type { ConstantOptions } from './constant.js';
export { step } from './step.js';
export type { StepOptions } from './step.js';
export { multiStep } from './multi-step.js';
export type { MultiStepOptions } from './multi-step.js';
export { exponential } from './exponential.js';
export type { ExponentialOptions } from './exponential.js';
export { polynomial } from './polynomial.js';
export type { PolynomialOptions } from './polynomial.js';
export { cosine } from './cosine.js';
export type { CosineOptions } from './cosine.js';
export { cosineRestarts } from './cosine-restarts.js';
export type { CosineRestartsOptions } from './cosine-restarts.js';
export { linearWarmup } from './linear-warmup.js';
export type { LinearWarmupOptions } from './linear-warmup.js';
export { oneCycle } from './one-cycle.js';
export type { OneCycleOptions } from './one-cycle.js';
export { fromConfig } from './from-config.js';

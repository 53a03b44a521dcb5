/**
 * Optimizers written in this package, with state keyed by dotted parameter path.
 *
 * @example
 * ```ts
 * import { optimizers } from '@tensorloom/train';
 * const opt = optimizers.adamW({ learningRate: 1e-3, weightDecay: 0.01, groups: optimizers.noDecayGroups() });
 * ```
 *
 * @module
 */
export type { Optimizer, OptimizerState, ParamGroup } from './optimizer.js';
export type { BaseOptimizerOptions } from './base.js';
export { sgd } from './sgd.js';
export type { SgdOptions } from './sgd.js';
export { adam } from './adam.js';
export { adamW } from './adamw.js';
export type { AdamOptions } from './adam-core.js';
export { adamax } from './adamax.js';
export type { AdamaxOptions } from './adamax.js';
export { rmsprop } from './rmsprop.js';
export type { RmspropOptions } from './rmsprop.js';
export { adagrad } from './adagrad.js';
export type { AdagradOptions } from './adagrad.js';
export { adadelta } from './adadelta.js';
export type { AdadeltaOptions } from './adadelta.js';
export { nadam } from './nadam.js';
export type { NadamOptions } from './nadam.js';
export { radam } from './radam.js';
export type { RadamOptions } from './radam.js';
export { lion } from './lion.js';
export type { LionOptions } from './lion.js';
export { lamb } from './lamb.js';
export type { LambOptions } from './lamb.js';
export { adafactor } from './adafactor.js';
export type { AdafactorOptions } from './adafactor.js';
export { scheduleFreeAdamW } from './schedule-free-adamw.js';
export type { ScheduleFreeAdamWOptions } from './schedule-free-adamw.js';
export { muon } from './muon.js';
export type { MuonOptions, MuonAdamWOptions } from './muon.js';
export { noDecayGroups } from './groups.js';
export type { NoDecayGroupsOptions } from './groups.js';
export { stateToSafetensors, stateFromSafetensors } from './state-bytes.js';

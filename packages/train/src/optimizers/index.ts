/**
 * Optimizers written in this package, with state keyed by dotted parameter path.
 *
 * @example
 * ```ts
 * import { optimizers } from '@tensorloom/train';
 * const opt = optimizers.adamW({ learningRate: 1e-3, weightDecay: 0.01 });
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

/**
 * Losses: each factory takes its options and returns a {@link Loss}, a function of
 * `(yTrue, yPred, sampleWeight?)` with its `lossName`.
 *
 * @example
 * ```ts
 * import { losses } from '@tensorloom/train';
 * const loss = losses.sparseCategoricalCrossentropy({ fromLogits: true });
 * ```
 *
 * @module
 */
export type { Loss, Reduction } from './loss.js';
export { meanSquaredError } from './mean-squared-error.js';
export type { MeanSquaredErrorOptions } from './mean-squared-error.js';
export { sparseCategoricalCrossentropy } from './sparse-categorical-crossentropy.js';
export type { SparseCategoricalCrossentropyOptions } from './sparse-categorical-crossentropy.js';

/**
 * Learning-rate schedules: pure functions of the optimizer step, composable.
 *
 * @example
 * ```ts
 * import { schedules } from '@tensorloom/train';
 * const lr = schedules.cosine({ initial: 1e-3, steps: 5000 });
 * ```
 *
 * @module
 */
export type { Schedule } from './schedule.js';

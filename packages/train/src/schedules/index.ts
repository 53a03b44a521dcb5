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
export {
  constant,
  step,
  multiStep,
  exponential,
  polynomial,
  cosine,
  cosineRestarts,
  linearWarmup,
  oneCycle,
  fromConfig,
} from './schedules.js';

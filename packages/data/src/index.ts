/**
 * Lazy dataset pipelines, splits, augmentation and text tools.
 *
 * @packageDocumentation
 */
export { Dataset } from './dataset/dataset.js';
export type {
  MapContext,
  MapOptions,
  FilterOptions,
  BatchOptions,
  ShuffleOptions,
  InterleaveOptions,
  IgnoreErrorsOptions,
  IterateOptions,
  ForEachOptions,
  DatasetFromOptions,
  ElementOf,
} from './dataset/dataset.js';
export type { Batched, Unbatched, TypedArray } from './dataset/batched.js';

export * as augment from './augment/index.js';

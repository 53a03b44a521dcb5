/**
 * Lazy dataset pipelines, splits, augmentation and text tools.
 *
 * @packageDocumentation
 */
export * as augment from './augment/index.js';

/**
 * Lazy dataset pipelines, splits, augmentation and text tools.
 *
 * @packageDocumentation
 */
export {};

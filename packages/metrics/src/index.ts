/**
 * Streaming metrics for classification, segmentation, regression and sequences.
 *
 * @packageDocumentation
 */
export {};

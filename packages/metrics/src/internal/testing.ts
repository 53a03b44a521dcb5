// Helpers shared by the metric tests (no test-framework imports, so the build can include
// this file harmlessly). Not exported from the package.
import { tf } from '@tensorloom/core';
import type { Metric, NumericInput } from '../metric.js';

/** One batch of a metric's inputs. */
export interface Batch<T, P> {
  yTrue: T;
  yPred: P;
  sampleWeight?: NumericInput;
}

/**
 * Runs the same batches through one metric and through shards merged afterwards: batches
 * are dealt round-robin to `shards` fresh clones, then merged into the first. Returns both
 * results; they must be equal.
 */
export function singleAndMerged<R, T, P>(
  make: () => Metric<R, T, P>,
  batches: Batch<T, P>[],
  shards = 2,
): { single: R; merged: R } {
  const one = make();
  for (const b of batches) one.update(b.yTrue, b.yPred, b.sampleWeight);
  const parts = Array.from({ length: shards }, () => make());
  batches.forEach((b, i) => parts[i % shards].update(b.yTrue, b.yPred, b.sampleWeight));
  const merged = parts.reduce((a, b) => a.merge(b));
  return { single: one.result(), merged: merged.result() };
}

/** Counts tensors reachable from an object's own fields (class instances included). */
export function tensorsHeldBy(value: unknown, seen = new Set<unknown>()): number {
  if (value === null || typeof value !== 'object' || seen.has(value)) return 0;
  seen.add(value);
  if (value instanceof tf.Tensor) return 1;
  if (ArrayBuffer.isView(value)) return 0;
  let n = 0;
  const children = value instanceof Map ? [...value.values()] : Object.values(value);
  for (const child of children) n += tensorsHeldBy(child, seen);
  return n;
}

/**
 * Two 3×3 label maps (255 = void) and predictions shared by the segmentation tests; their
 * reference values come from scripts/reference_segmentation.py.
 */
export const SEGMENTATION_T = [
  [[0, 0, 1], [1, 2, 2], [255, 0, 1]],
  [[2, 2, 2], [0, 1, 255], [1, 1, 0]],
];
export const SEGMENTATION_P = [
  [[0, 1, 1], [1, 2, 0], [2, 0, 1]],
  [[2, 2, 1], [0, 1, 0], [1, 0, 0]],
];

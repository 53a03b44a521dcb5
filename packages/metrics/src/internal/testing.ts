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
 * The scikit-learn `precision_score` / `recall_score` / `f1_score` docstring example: three
 * classes, predicted ids. One-vs-rest (tp, fp, fn): class 0 (2, 1, 0), class 1 (0, 1, 2),
 * class 2 (0, 1, 2).
 */
export const SKLEARN_LABELS = { yTrue: [0, 1, 2, 0, 1, 2], yPred: [0, 2, 1, 0, 0, 1] };

/**
 * A weighted binary set shared by the classification tests. Predictions (> 0.5) are
 * [1, 1, 0, 1, 0, 1, 1, 0]: tp = 1 + 0.5 + 3 = 4.5, fp = 2 + 1 = 3, fn = 1, tn = 1 + 2 = 3.
 */
export const WEIGHTED_BINARY = {
  yTrue: [1, 0, 1, 1, 0, 0, 1, 0],
  yPred: [0.9, 0.6, 0.4, 0.8, 0.2, 0.55, 0.51, 0.1],
  sampleWeight: [1, 2, 1, 0.5, 1, 1, 3, 2],
};

/**
 * The scikit-learn `average_precision_score` docstring multiclass example: class ids and
 * class scores for six samples, used by the curve tests (values in scripts/reference_curves.py).
 */
export const SKLEARN_SCORES = {
  yTrue: [0, 0, 1, 1, 2, 2],
  yPred: [
    [0.7, 0.2, 0.1],
    [0.4, 0.3, 0.3],
    [0.1, 0.8, 0.1],
    [0.2, 0.3, 0.5],
    [0.4, 0.4, 0.2],
    [0.1, 0.2, 0.7],
  ],
};

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

/**
 * A small XML well-formedness check for the SVG renderers: every tag closes in order,
 * attributes are quoted, text holds no raw `<` and only known entities. Returns null when
 * well-formed, else what is wrong.
 */
export function xmlProblem(xml: string): string | null {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  let roots = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    const badEntity = /&(?!(amp|lt|gt|quot|#39);)/.exec(text);
    if (badEntity) return `bad entity in text at ${i + badEntity.index}`;
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (m === null) return `malformed tag at ${lt}: ${xml.slice(lt, lt + 40)}`;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open !== name) return `</${name}> closes <${open ?? 'nothing'}>`;
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
    i = tag.lastIndex;
  }
  if (stack.length > 0) return `unclosed <${stack[stack.length - 1]}>`;
  return roots === 1 ? null : `expected one root element, got ${roots}`;
}

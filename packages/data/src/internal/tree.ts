import { disposeAll, forEachTensor, tf } from '@tensorloom/core';

/**
 * Element trees: plain data, tensors, and arrays / plain objects / Maps of them (the same
 * structures core's `forEachTensor` walks).
 */

function isPlainObject(value: object): boolean {
  // Exactly what core's forEachTensor / disposeAll walk, so "holds a tensor" and "disposes it" agree.
  return Object.getPrototypeOf(value) === Object.prototype;
}

/** True when `value` holds at least one tensor. */
export function hasTensor(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (value instanceof tf.Tensor) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (hasTensor(v)) return true;
    return false;
  }
  if (value instanceof Map) {
    for (const v of value.values()) if (hasTensor(v)) return true;
    return false;
  }
  if (isPlainObject(value)) {
    for (const key in value) if (hasTensor((value as Record<string, unknown>)[key])) return true;
  }
  return false;
}

/**
 * A copy of `value` whose tensors are clones (a clone shares the original's data buffer, so
 * it costs no copy) and whose containers are new. Returns `value` itself when it holds no
 * tensor, so plain data costs nothing. Used where a stage keeps elements (an array source,
 * `cache`) and hands out elements the downstream may dispose.
 */
export function cloneTree<T>(value: T): T {
  return hasTensor(value) ? (cloneDeep(value) as T) : value;
}

function cloneDeep(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof tf.Tensor) return tf.clone(value);
  if (Array.isArray(value)) return value.map(cloneDeep);
  if (value instanceof Map) {
    const out = new Map<unknown, unknown>();
    for (const [k, v] of value) out.set(k, cloneDeep(v));
    return out;
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) out[key] = cloneDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Disposes the tensors of `input` that do not appear in `output`: a stage owns the element it
 * received, and what it passes on in its output is owned downstream.
 */
export function releaseInput(input: unknown, output: unknown): void {
  if (!hasTensor(input)) return;
  if (!hasTensor(output)) {
    disposeAll(input);
    return;
  }
  const kept = new Set<tf.Tensor>();
  forEachTensor(output, (t) => kept.add(t));
  forEachTensor(input, (t) => {
    if (!kept.has(t) && !t.isDisposed) t.dispose();
  });
}

export { disposeAll };

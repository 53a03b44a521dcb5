import * as tf from '@tensorflow/tfjs-core';
import { LeakError } from './errors.js';

/**
 * Runs `fn` and disposes every tensor it allocated except those it returns (`tf.tidy`).
 * `fn` must be synchronous; for async loops use {@link forEachAsync}.
 *
 * @param fn - synchronous work on tensors.
 * @param name - optional name, shown in tfjs's profiler.
 * @returns what `fn` returned; its tensors survive the scope.
 * @example
 * ```ts
 * const loss = scope(() => tf.mean(tf.square(tf.sub(pred, target))));
 * ```
 *
 * @group Memory
 */
export function scope<T extends tf.TensorContainer>(fn: () => T, name?: string): T {
  return name === undefined ? tf.tidy(fn) : tf.tidy(name, fn);
}

/**
 * Marks a tensor made inside {@link scope} as surviving it.
 *
 * @example
 * ```ts
 * let kept: tf.Tensor;
 * scope(() => { kept = keep(tf.ones([2])); });
 * ```
 *
 * @group Memory
 */
export function keep<T extends tf.Tensor>(tensor: T): T {
  return tf.keep(tensor);
}

/**
 * Visits every tensor in a nested structure of arrays, plain objects and maps.
 *
 * @example
 * ```ts
 * let n = 0; forEachTensor({ a: x, b: [y, z] }, () => n++); // n === 3
 * ```
 *
 * @group Memory
 */
export function forEachTensor(value: unknown, visit: (t: tf.Tensor) => void, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof tf.Tensor) {
    visit(value);
  } else if (Array.isArray(value)) {
    for (const v of value) forEachTensor(v, visit, seen);
  } else if (value instanceof Map) {
    for (const v of value.values()) forEachTensor(v, visit, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) forEachTensor(v, visit, seen);
  }
}

/**
 * Disposes every tensor in a nested structure of arrays, plain objects and maps.
 * Already-disposed tensors are skipped.
 *
 * @example
 * ```ts
 * disposeAll({ xs, ys: [y1, y2] });
 * ```
 *
 * @group Memory
 */
export function disposeAll(value: unknown): void {
  forEachTensor(value, (t) => {
    if (!t.isDisposed) t.dispose();
  });
}

/**
 * Options of {@link forEachAsync}.
 *
 * @example
 * ```ts
 * const options: ForEachAsyncOptions = { disposeItems: true, leakCheck: { warmup: 2, label: 'epoch 1' } };
 * ```
 *
 * @group Memory
 */
export interface ForEachAsyncOptions {
  /** Dispose the tensors inside each item after its iteration. Default `false`. */
  disposeItems?: boolean;
  /**
   * Fail when the live tensor count grows from one iteration to the next. The first
   * `warmup` iterations may allocate (optimizer slots, caches). Default: no check.
   */
  leakCheck?: {
    /** Iterations allowed to allocate before the count must stay flat. Default 1. */
    warmup?: number;
    /** Names the loop in the error message. Default `'forEachAsync'`. */
    label?: string;
  };
}

/**
 * Runs an async body over a sync or async iterable, one item at a time, with optional
 * disposal of each item's tensors and a steady-state leak check. This is the async
 * counterpart of {@link scope}: `tf.tidy` cannot span an `await`.
 *
 * @returns how many items were processed.
 * @throws {@link LeakError} when `leakCheck` is on and an iteration leaves more tensors
 *   alive than the one before it.
 * @example
 * ```ts
 * await forEachAsync(batches, async ({ xs, ys }) => {
 *   const loss = scope(() => trainStep(xs, ys));
 *   console.log(await loss.data());
 *   loss.dispose();
 * }, { disposeItems: true, leakCheck: { warmup: 1 } });
 * ```
 *
 * @group Memory
 */
export async function forEachAsync<T>(
  source: Iterable<T> | AsyncIterable<T>,
  body: (item: T, index: number) => unknown,
  options: ForEachAsyncOptions = {},
): Promise<number> {
  const warmup = options.leakCheck?.warmup ?? 1;
  let baseline: number | null = null;
  let index = 0;
  for await (const item of source as AsyncIterable<T>) {
    await body(item, index);
    if (options.disposeItems) disposeAll(item);
    if (options.leakCheck) {
      const live = tf.memory().numTensors;
      if (index + 1 === warmup || (baseline === null && index + 1 > warmup)) {
        baseline = live;
      } else if (baseline !== null && live > baseline) {
        const label = options.leakCheck.label ?? 'forEachAsync';
        throw new LeakError(
          `${label}: iteration ${index} left ${live - baseline} more tensors alive than the steady state (${baseline}), got ${live}`,
          { help: 'wrap synchronous tensor work in scope(), and dispose what an iteration returns' },
        );
      }
    }
    index++;
  }
  return index;
}

function countIn(value: unknown): number {
  let n = 0;
  const ids = new Set<number>();
  forEachTensor(value, (t) => {
    if (!t.isDisposed && !ids.has(t.id)) {
      ids.add(t.id);
      n++;
    }
  });
  return n;
}

/**
 * Test helper: runs `fn` (sync or async) and throws a {@link LeakError} when it leaves
 * tensors alive beyond those it returns. Use it in tests of every layer and op.
 *
 * @param fn - the code under test.
 * @param label - names the code in the error message.
 * @returns what `fn` returned.
 * @throws {@link LeakError} with the number of leaked tensors.
 * @example
 * ```ts
 * await expectNoLeaks(() => scope(() => layer.apply(x)).dispose(), 'Dense apply');
 * ```
 *
 * @group Memory
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, label = 'expectNoLeaks'): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const after = tf.memory().numTensors;
  const returned = countIn(result);
  const leaked = after - before - returned;
  if (leaked > 0) {
    throw new LeakError(
      `${label}: expected 0 leaked tensors, got ${leaked} (live before ${before}, after ${after}, returned ${returned})`,
    );
  }
  return result;
}

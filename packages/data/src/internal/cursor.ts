/**
 * The pull protocol every pipeline stage implements.
 *
 * A cursor's `next()` returns its result directly when it has it and a promise only when it
 * must wait, so a chain of synchronous stages over a synchronous source never allocates a
 * promise per element (the sync fast path). Stages compose results with {@link andThen} and
 * {@link loop}, which stay synchronous until a promise actually appears.
 *
 * Contract:
 * - a cursor owns the tensors of the elements it has pulled and not yet handed on;
 * - an error thrown by `next()` concerns one element: the cursor stays usable and the next
 *   call continues with the following element (this is what `ignoreErrors` relies on);
 * - `close()` is idempotent; it disposes what the cursor holds and closes its upstream.
 */
export type MaybePromise<T> = T | Promise<T>;

/** One stage of an opened pipeline. */
export interface Cursor<T> {
  next(): MaybePromise<IteratorResult<T, undefined>>;
  close(): MaybePromise<void>;
}

/** Opens a pipeline for one epoch. */
export type Opener<T> = (epoch: number) => Cursor<T>;

/** The shared end-of-data result. */
export const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** Wraps a value as an iterator result. */
export function item<T>(value: T): IteratorYieldResult<T> {
  return { done: false, value };
}

/** True for promises and other thenables. */
export function isPromise<T>(x: MaybePromise<T>): x is Promise<T> {
  return (
    x instanceof Promise ||
    (typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function')
  );
}

/** (Not named `then`: a module exporting `then` is a thenable, and `await import()` of it breaks.) Applies `f` to `x` now when `x` is a value, or when it resolves. */
export function andThen<A, B>(x: MaybePromise<A>, f: (a: A) => MaybePromise<B>): MaybePromise<B> {
  return isPromise(x) ? x.then(f) : f(x);
}

/** Marker a {@link loop} step returns to ask for another iteration. */
export const AGAIN: unique symbol = Symbol('again');

/**
 * Repeats `step` until it returns something other than {@link AGAIN}. Synchronous steps loop
 * in place; once a step returns a promise the loop continues in its continuation (no stack
 * growth: each continuation runs in a fresh microtask).
 */
export function loop<R>(step: () => MaybePromise<R | typeof AGAIN>): MaybePromise<R> {
  for (;;) {
    const r = step();
    if (isPromise(r)) return r.then((v) => (v === AGAIN ? loop(step) : v));
    if (r !== AGAIN) return r;
  }
}

/** Calls `f` and turns a synchronous throw into the same shape as a rejection handler. */
export function attempt<A>(f: () => MaybePromise<A>, onError: (error: unknown) => MaybePromise<A>): MaybePromise<A> {
  let r: MaybePromise<A>;
  try {
    r = f();
  } catch (error) {
    return onError(error);
  }
  return isPromise(r) ? r.then(undefined, onError) : r;
}

/** Closes several cursors, waiting for all, and rethrows the first failure. */
export function closeAll(cursors: readonly (Cursor<unknown> | null)[]): MaybePromise<void> {
  const pending: Promise<void>[] = [];
  let failure: { error: unknown } | null = null;
  for (const c of cursors) {
    if (c === null) continue;
    try {
      const r = c.close();
      if (isPromise(r)) pending.push(r);
    } catch (error) {
      failure ??= { error };
    }
  }
  if (pending.length === 0) {
    if (failure) throw failure.error;
    return;
  }
  return Promise.allSettled(pending).then((results) => {
    if (failure) throw failure.error;
    for (const r of results) if (r.status === 'rejected') throw r.reason;
  });
}

import { ConfigError } from '@tensorloom/core';
import { DONE, item } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';
import { cloneTree } from '../tree.js';

/**
 * Elements of a caller-owned array (or typed array). The array keeps its tensors: each
 * element is handed out with cloned tensors (clones share the data, so this costs no copy),
 * which the pipeline may dispose without touching the array.
 */
export function arrayCursor<T>(items: ArrayLike<T>): Cursor<T> {
  let i = 0;
  let closed = false;
  return {
    next: () => (closed || i >= items.length ? DONE : item(cloneTree(items[i++] as T))),
    close: () => {
      closed = true;
    },
  };
}

/** Elements of a synchronous iterator; they belong to the pipeline. */
export function iteratorCursor<T>(it: Iterator<T>): Cursor<T> {
  let done = false;
  return {
    next: () => {
      if (done) return DONE;
      const r = it.next();
      if (r.done) {
        done = true;
        return DONE;
      }
      return item(r.value);
    },
    close: () => {
      if (done) return;
      done = true;
      it.return?.();
    },
  };
}

/** Elements of an asynchronous iterator; they belong to the pipeline. */
export function asyncIteratorCursor<T>(it: AsyncIterator<T>): Cursor<T> {
  let done = false;
  return {
    next: () => {
      if (done) return DONE;
      return it.next().then((r) => {
        if (r.done) {
          done = true;
          return DONE;
        }
        return item(r.value);
      });
    },
    close: (): MaybePromise<void> => {
      if (done) return;
      done = true;
      const r = it.return?.();
      if (r !== undefined) return r.then(() => undefined);
    },
  };
}

function isIterable(x: unknown): x is Iterable<unknown> {
  return x !== null && x !== undefined && typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return x !== null && x !== undefined && typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

/** A cursor over whatever a generator function (or factory) returned. */
export function cursorOfProduced<T>(produced: unknown, unit: string): Cursor<T> {
  if (isAsyncIterable(produced)) return asyncIteratorCursor(produced[Symbol.asyncIterator]() as AsyncIterator<T>);
  if (isIterable(produced)) return iteratorCursor(produced[Symbol.iterator]() as Iterator<T>);
  if (produced !== null && typeof produced === 'object' && typeof (produced as Iterator<T>).next === 'function') {
    // a bare iterator: sync or async is decided by what its first next() returns
    const it = produced as Iterator<T> | AsyncIterator<T>;
    let mode: 'sync' | 'async' | null = null;
    let inner: Cursor<T> | null = null;
    return {
      next: () => {
        if (mode === null) {
          const first = it.next() as IteratorResult<T> | Promise<IteratorResult<T>>;
          if (first instanceof Promise) {
            mode = 'async';
            let consumed = false;
            inner = asyncIteratorCursor({
              next: () => (consumed ? (it as AsyncIterator<T>).next() : ((consumed = true), first)),
              return: (it as AsyncIterator<T>).return?.bind(it),
            });
          } else {
            mode = 'sync';
            let consumed = false;
            inner = iteratorCursor({
              next: () => (consumed ? (it as Iterator<T>).next() : ((consumed = true), first)),
              return: (it as Iterator<T>).return?.bind(it),
            });
          }
        }
        return inner!.next();
      },
      close: () => {
        if (inner !== null) return inner.close();
        mode = 'sync';
        inner = { next: () => DONE, close: () => undefined };
        it.return?.();
      },
    };
  }
  throw new ConfigError(`${unit}: source function expected to return an iterable, async iterable or iterator, got ${describe(produced)}`);
}

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  return typeof x;
}

/**
 * Opens a one-shot or re-iterable (async) iterable. A one-shot iterator (a generator object,
 * whose `[Symbol.iterator]()` returns itself) can only be opened once; opening it again
 * fails instead of silently yielding an empty epoch.
 */
export function iterableOpener<T>(source: Iterable<T> | AsyncIterable<T>, unit: string): () => Cursor<T> {
  let opened = false;
  return () => {
    const asyncIt = isAsyncIterable(source) ? source[Symbol.asyncIterator]() : null;
    const it = asyncIt ?? (source as Iterable<T>)[Symbol.iterator]();
    const oneShot = (it as unknown) === source;
    if (oneShot && opened) {
      throw new ConfigError(`${unit}: source expected a re-iterable source for a second epoch, got a one-shot iterator`, {
        help: 'pass the generator function itself, Dataset.from(() => gen()), or an array, or add .cache()',
      });
    }
    opened = true;
    return asyncIt !== null ? asyncIteratorCursor(asyncIt) : iteratorCursor(it as Iterator<T>);
  };
}

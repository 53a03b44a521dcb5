import { DONE, andThen } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';
import { cloneTree, disposeAll } from '../tree.js';
import { arrayCursor } from './sources.js';

/**
 * What a `cache()` stage keeps: the elements of one complete epoch. Elements with tensors
 * are stored as clones (sharing data with what went downstream), so downstream stages may
 * dispose what they received while the cache stays valid.
 */
export class CacheStore<T> {
  items: T[] | null = null;

  clear(): void {
    if (this.items !== null) disposeAll(this.items);
    this.items = null;
  }

  /** Replays the stored epoch, or fills the store while passing upstream through. */
  open(openUpstream: () => Cursor<T>): Cursor<T> {
    if (this.items !== null) return arrayCursor(this.items);
    return new FillingCursor(openUpstream(), this);
  }
}

class FillingCursor<T> implements Cursor<T> {
  private pending: T[] | null = [];

  constructor(
    private readonly up: Cursor<T>,
    private readonly store: CacheStore<T>,
  ) {}

  next(): MaybePromise<IteratorResult<T, undefined>> {
    if (this.pending === null) return DONE;
    return andThen(this.up.next(), (r) => {
      if (this.pending === null) {
        if (!r.done) disposeAll(r.value);
        return DONE;
      }
      if (r.done) {
        // the first complete epoch wins; a concurrent one that completes later is dropped
        if (this.store.items === null) this.store.items = this.pending;
        else disposeAll(this.pending);
        this.pending = null;
        return DONE;
      }
      this.pending.push(cloneTree(r.value));
      return r;
    });
  }

  close(): MaybePromise<void> {
    if (this.pending !== null) {
      // an epoch cut short does not fill the cache
      disposeAll(this.pending);
      this.pending = null;
    }
    return this.up.close();
  }
}

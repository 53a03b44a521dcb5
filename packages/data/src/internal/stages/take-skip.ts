import { AGAIN, DONE, loop, andThen } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';
import { disposeAll } from '../tree.js';

/** The first `count` elements; closes upstream as soon as they are out (freeing its buffers). */
export class TakeCursor<T> implements Cursor<T> {
  private taken = 0;
  private closed = false;

  constructor(
    private readonly up: Cursor<T>,
    private readonly count: number,
  ) {}

  next(): MaybePromise<IteratorResult<T, undefined>> {
    if (this.taken >= this.count) return andThen(this.close(), () => DONE);
    return andThen(this.up.next(), (r) => {
      if (r.done) this.taken = this.count;
      else this.taken++;
      return r;
    });
  }

  close(): MaybePromise<void> {
    if (this.closed) return;
    this.closed = true;
    return this.up.close();
  }
}

/** Drops (and disposes) the first `count` elements. */
export class SkipCursor<T> implements Cursor<T> {
  private skipped = 0;

  constructor(
    private readonly up: Cursor<T>,
    private readonly count: number,
  ) {}

  next(): MaybePromise<IteratorResult<T, undefined>> {
    if (this.skipped >= this.count) return this.up.next();
    return loop<IteratorResult<T, undefined>>(() => {
      if (this.skipped >= this.count) return this.up.next();
      return andThen(this.up.next(), (r) => {
        if (r.done) return DONE;
        disposeAll(r.value);
        this.skipped++;
        return AGAIN;
      });
    });
  }

  close(): MaybePromise<void> {
    return this.up.close();
  }
}

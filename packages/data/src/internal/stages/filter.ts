import { AGAIN, DONE, attempt, loop, andThen } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';
import { disposeAll } from '../tree.js';
import type { ContextOf } from './map.js';

/** Keeps the elements `predicate` accepts; disposes the tensors of the rejected ones. */
export class FilterCursor<T, C> implements Cursor<T> {
  private index = 0;

  constructor(
    private readonly up: Cursor<T>,
    private readonly predicate: (element: T, context: C) => MaybePromise<boolean>,
    private readonly context: ContextOf<C>,
  ) {}

  next(): MaybePromise<IteratorResult<T, undefined>> {
    return loop<IteratorResult<T, undefined>>(() =>
      andThen(this.up.next(), (r) => {
        if (r.done) return DONE;
        const value = r.value;
        const context = this.context(this.index++);
        return attempt(
          () =>
            andThen(this.predicate(value, context), (keep): IteratorResult<T, undefined> | typeof AGAIN => {
              if (keep) return r;
              disposeAll(value);
              return AGAIN;
            }),
          (error) => {
            disposeAll(value);
            throw error;
          },
        );
      }),
    );
  }

  close(): MaybePromise<void> {
    return this.up.close();
  }
}

import { AGAIN, DONE, item, loop, andThen } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';
import { Deque } from '../deque.js';
import { collate, split } from '../collate.js';
import type { CollateOptions } from '../collate.js';
import { disposeAll } from '../tree.js';

/**
 * Groups `size` elements into one batch (see `collate`), disposing the element tensors once
 * stacked. An upstream failure leaves the partial batch in place, so the next call continues.
 */
export class BatchCursor<T> implements Cursor<unknown> {
  private buffer: T[] = [];
  private finished = false;

  constructor(
    private readonly up: Cursor<T>,
    private readonly size: number,
    private readonly dropRemainder: boolean,
    private readonly options: CollateOptions,
  ) {}

  next(): MaybePromise<IteratorResult<unknown, undefined>> {
    return loop<IteratorResult<unknown, undefined>>(() => {
      if (this.finished) return DONE;
      return andThen(this.up.next(), (r) => {
        if (r.done) {
          this.finished = true;
          if (this.buffer.length === 0 || this.dropRemainder) {
            disposeAll(this.buffer);
            this.buffer = [];
            return DONE;
          }
          return this.emit();
        }
        this.buffer.push(r.value);
        return this.buffer.length === this.size ? this.emit() : AGAIN;
      });
    });
  }

  private emit(): IteratorResult<unknown, undefined> {
    const elements = this.buffer;
    this.buffer = [];
    try {
      return item(collate(elements, this.options));
    } finally {
      disposeAll(elements);
    }
  }

  close(): MaybePromise<void> {
    this.finished = true;
    disposeAll(this.buffer);
    this.buffer = [];
    return this.up.close();
  }
}

/** Splits each batch into its elements, disposing the batch's tensors. */
export class UnbatchCursor implements Cursor<unknown> {
  private readonly pending = new Deque<unknown>();

  constructor(private readonly up: Cursor<unknown>) {}

  next(): MaybePromise<IteratorResult<unknown, undefined>> {
    return loop<IteratorResult<unknown, undefined>>(() => {
      if (this.pending.length > 0) return item(this.pending.shift());
      return andThen(this.up.next(), (r) => {
        if (r.done) return DONE;
        let parts: unknown[];
        try {
          parts = split(r.value);
        } finally {
          disposeAll(r.value);
        }
        for (const p of parts) this.pending.push(p);
        return AGAIN;
      });
    });
  }

  close(): MaybePromise<void> {
    disposeAll(this.pending.drain());
    return this.up.close();
  }
}

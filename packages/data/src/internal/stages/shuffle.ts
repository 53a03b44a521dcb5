import type { Rng } from '@tensorloom/core';
import { AGAIN, DONE, item, loop, andThen } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';
import { disposeAll } from '../tree.js';

/**
 * Buffered shuffle: keeps up to `size` elements and emits a uniformly chosen one each time,
 * refilling from upstream (O(1) per element: the chosen slot is refilled by swap-and-pop).
 * With `size` at least the dataset size this is a uniform random permutation.
 */
export class ShuffleCursor<T> implements Cursor<T> {
  private buffer: T[] = [];
  private upDone = false;

  constructor(
    private readonly up: Cursor<T>,
    private readonly size: number,
    private readonly rng: Rng,
  ) {}

  next(): MaybePromise<IteratorResult<T, undefined>> {
    return loop<IteratorResult<T, undefined>>(() => {
      if (!this.upDone && this.buffer.length < this.size) {
        return andThen(this.up.next(), (r) => {
          if (r.done) this.upDone = true;
          else this.buffer.push(r.value);
          return AGAIN;
        });
      }
      const n = this.buffer.length;
      if (n === 0) return DONE;
      const j = this.rng.int(n);
      const chosen = this.buffer[j] as T;
      this.buffer[j] = this.buffer[n - 1] as T;
      this.buffer.pop();
      return item(chosen);
    });
  }

  close(): MaybePromise<void> {
    this.upDone = true;
    disposeAll(this.buffer);
    this.buffer = [];
    return this.up.close();
  }
}

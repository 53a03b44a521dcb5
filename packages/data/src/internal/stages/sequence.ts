import { AGAIN, DONE, loop, andThen } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';

/**
 * Runs cursors one after another: `open(k)` gives the k-th (or `null` when there are no
 * more). Used by `repeat` (stopping at an empty repetition, which would otherwise loop
 * forever) and `concat`.
 */
export class SequenceCursor<T> implements Cursor<T> {
  private current: Cursor<T> | null = null;
  private k = 0;
  private produced = 0;
  private finished = false;

  constructor(
    private readonly open: (k: number) => Cursor<T> | null,
    private readonly stopOnEmpty: boolean,
  ) {}

  next(): MaybePromise<IteratorResult<T, undefined>> {
    return loop<IteratorResult<T, undefined>>(() => {
      if (this.finished) return DONE;
      if (this.current === null) {
        const c = this.open(this.k);
        if (c === null) {
          this.finished = true;
          return DONE;
        }
        this.current = c;
        this.produced = 0;
      }
      const c = this.current;
      return andThen(c.next(), (r) => {
        if (!r.done) {
          this.produced++;
          return r;
        }
        this.current = null;
        return andThen(c.close(), () => {
          if (this.stopOnEmpty && this.produced === 0) {
            this.finished = true;
            return DONE;
          }
          this.k++;
          return AGAIN;
        });
      });
    });
  }

  close(): MaybePromise<void> {
    this.finished = true;
    const c = this.current;
    this.current = null;
    return c?.close();
  }
}

import { AGAIN, DONE, loop, andThen } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';
import { disposeAll } from '../tree.js';

interface Slot<T, U> {
  input: T;
  cursor: Cursor<U>;
}

/**
 * Round-robin over up to `cycleLength` inner cursors made from upstream elements, taking
 * `blockLength` elements from each in turn. An exhausted inner cursor is closed, its input
 * element disposed, and its place refilled from upstream when the cycle comes back to it.
 */
export class InterleaveCursor<T, U> implements Cursor<U> {
  private readonly slots: (Slot<T, U> | null)[];
  private position = 0;
  private inBlock = 0;
  private upDone = false;
  private index = 0;
  private closed = false;

  constructor(
    private readonly up: Cursor<T>,
    private readonly open: (element: T, index: number) => Cursor<U>,
    cycleLength: number,
    private readonly blockLength: number,
  ) {
    this.slots = new Array<Slot<T, U> | null>(cycleLength).fill(null);
  }

  next(): MaybePromise<IteratorResult<U, undefined>> {
    return loop<IteratorResult<U, undefined>>(() => {
      if (this.closed) return DONE;
      const slot = this.slots[this.position];
      if (slot === null || slot === undefined) {
        if (this.upDone) {
          if (this.slots.every((s) => s === null)) return DONE;
          this.advance();
          return AGAIN;
        }
        return andThen(this.up.next(), (r) => {
          if (r.done) {
            this.upDone = true;
            return AGAIN;
          }
          const input = r.value;
          let cursor: Cursor<U>;
          try {
            cursor = this.open(input, this.index++);
          } catch (error) {
            disposeAll(input);
            throw error;
          }
          this.slots[this.position] = { input, cursor };
          return AGAIN;
        });
      }
      return andThen(slot.cursor.next(), (r) => {
        if (!r.done) {
          if (++this.inBlock >= this.blockLength) this.advance();
          return r;
        }
        this.slots[this.position] = null;
        this.advance();
        return andThen(slot.cursor.close(), () => {
          disposeAll(slot.input);
          return AGAIN;
        });
      });
    });
  }

  private advance(): void {
    this.position = (this.position + 1) % this.slots.length;
    this.inBlock = 0;
  }

  close(): MaybePromise<void> {
    if (this.closed) return;
    this.closed = true;
    const closing: MaybePromise<void>[] = [];
    for (let i = 0; i < this.slots.length; i++) {
      const slot = this.slots[i];
      if (slot === null || slot === undefined) continue;
      this.slots[i] = null;
      closing.push(andThen(slot.cursor.close(), () => disposeAll(slot.input)));
    }
    closing.push(this.up.close());
    const pending = closing.filter((c): c is Promise<void> => c instanceof Promise);
    if (pending.length > 0) return Promise.all(pending).then(() => undefined);
  }
}

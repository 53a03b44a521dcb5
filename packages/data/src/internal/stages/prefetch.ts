import { DONE, isPromise, item } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';
import { Deque } from '../deque.js';
import { disposeAll } from '../tree.js';

type Entry<T> = { kind: 'item'; value: T } | { kind: 'error'; error: unknown } | { kind: 'done' };

/**
 * Pulls up to `size` elements ahead of the consumer: a pump keeps one upstream pull in flight
 * whenever the buffer has room, so an asynchronous upstream produces the next elements while
 * the consumer works on the current one. Failures are delivered in order.
 */
export class PrefetchCursor<T> implements Cursor<T> {
  private readonly buffer = new Deque<Entry<T>>();
  private pulling: Promise<void> | null = null;
  private upDone = false;
  private finished = false;
  private closed = false;
  private waiter: (() => void) | null = null;

  constructor(
    private readonly up: Cursor<T>,
    private readonly size: number,
  ) {}

  next(): MaybePromise<IteratorResult<T, undefined>> {
    if (this.closed || (this.finished && this.buffer.length === 0)) return DONE;
    if (this.buffer.length === 0) this.pump();
    const entry = this.buffer.shift();
    if (entry === undefined) {
      return new Promise<void>((resolve) => {
        this.waiter = resolve;
      }).then(() => this.next());
    }
    this.pump();
    if (entry.kind === 'item') return item(entry.value);
    if (entry.kind === 'error') throw entry.error;
    this.finished = true;
    return DONE;
  }

  private pump(): void {
    while (!this.closed && !this.upDone && this.pulling === null && this.buffer.length < this.size) {
      let r: MaybePromise<IteratorResult<T, undefined>>;
      try {
        r = this.up.next();
      } catch (error) {
        this.push({ kind: 'error', error });
        continue;
      }
      if (isPromise(r)) {
        this.pulling = r
          .then(
            (res) => this.accept(res),
            (error: unknown) => this.push({ kind: 'error', error }),
          )
          .then(() => {
            this.pulling = null;
            this.pump();
          });
        return;
      }
      this.accept(r);
    }
  }

  private accept(r: IteratorResult<T, undefined>): void {
    if (this.closed) {
      if (!r.done) disposeAll(r.value);
      return;
    }
    if (r.done) {
      this.upDone = true;
      this.push({ kind: 'done' });
    } else {
      this.push({ kind: 'item', value: r.value });
    }
  }

  private push(entry: Entry<T>): void {
    if (this.closed) return;
    this.buffer.push(entry);
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  close(): MaybePromise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const e of this.buffer.drain()) if (e.kind === 'item') disposeAll(e.value);
    const w = this.waiter;
    this.waiter = null;
    w?.();
    const inflight = this.pulling;
    return inflight === null ? this.up.close() : inflight.then(() => this.up.close());
  }
}

import { AGAIN, DONE, attempt, isPromise, item, loop, andThen } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';
import { Deque } from '../deque.js';
import { disposeAll, releaseInput } from '../tree.js';

/** Builds the per-element context object a map or filter function receives. */
export type ContextOf<C> = (index: number) => C;

/** `map` with one element in flight: no buffering, no promise unless `fn` returns one. */
export class SerialMapCursor<T, U, C> implements Cursor<U> {
  private index = 0;

  constructor(
    private readonly up: Cursor<T>,
    private readonly fn: (element: T, context: C) => MaybePromise<U>,
    private readonly context: ContextOf<C>,
  ) {}

  next(): MaybePromise<IteratorResult<U, undefined>> {
    return andThen(this.up.next(), (r) => {
      if (r.done) return DONE;
      const input = r.value;
      const context = this.context(this.index++);
      return attempt(
        () =>
          andThen(this.fn(input, context), (out) => {
            releaseInput(input, out);
            return item(out);
          }),
        (error) => {
          disposeAll(input);
          throw error;
        },
      );
    });
  }

  close(): MaybePromise<void> {
    return this.up.close();
  }
}

interface Slot<U> {
  settled: boolean;
  ok: boolean;
  value: U | undefined;
  error: unknown;
  wait: Promise<void> | null;
}

/**
 * `map` with up to `concurrency` calls of `fn` in flight, delivering results in input order.
 * Upstream is pulled one element at a time (cursors are sequential); each pulled element
 * starts its call at once, so asynchronous work overlaps.
 */
export class ConcurrentMapCursor<T, U, C> implements Cursor<U> {
  private index = 0;
  private readonly queue = new Deque<Slot<U>>();
  private upDone = false;
  private closed = false;

  constructor(
    private readonly up: Cursor<T>,
    private readonly fn: (element: T, context: C) => MaybePromise<U>,
    private readonly context: ContextOf<C>,
    private readonly concurrency: number,
  ) {}

  next(): MaybePromise<IteratorResult<U, undefined>> {
    return loop<IteratorResult<U, undefined>>(() => {
      if (this.closed) return DONE;
      if (!this.upDone && this.queue.length < this.concurrency) {
        return attempt(
          () =>
            andThen(this.up.next(), (r) => {
              if (r.done) this.upDone = true;
              else this.start(r.value);
              return AGAIN;
            }),
          (error) => {
            // an upstream failure is delivered in order, like a failed call
            this.queue.push({ settled: true, ok: false, value: undefined, error, wait: null });
            return AGAIN;
          },
        );
      }
      const head = this.queue.shift();
      if (head === undefined) return DONE;
      return this.deliver(head);
    });
  }

  private start(input: T): void {
    const slot: Slot<U> = { settled: false, ok: false, value: undefined, error: undefined, wait: null };
    const context = this.context(this.index++);
    let out: MaybePromise<U>;
    try {
      out = this.fn(input, context);
    } catch (error) {
      disposeAll(input);
      slot.settled = true;
      slot.error = error;
      this.queue.push(slot);
      return;
    }
    if (isPromise(out)) {
      slot.wait = out.then(
        (value) => {
          releaseInput(input, value);
          if (this.closed) disposeAll(value);
          else {
            slot.value = value;
            slot.ok = true;
          }
          slot.settled = true;
        },
        (error: unknown) => {
          disposeAll(input);
          slot.error = error;
          slot.settled = true;
        },
      );
    } else {
      releaseInput(input, out);
      slot.value = out;
      slot.ok = true;
      slot.settled = true;
    }
    this.queue.push(slot);
  }

  private deliver(slot: Slot<U>): MaybePromise<IteratorResult<U, undefined>> {
    if (!slot.settled) return slot.wait!.then(() => this.deliver(slot));
    if (!slot.ok) throw slot.error;
    return item(slot.value as U);
  }

  close(): MaybePromise<void> {
    if (this.closed) return;
    this.closed = true;
    const waits: Promise<void>[] = [];
    for (const slot of this.queue.drain()) {
      if (slot.settled) {
        if (slot.ok) disposeAll(slot.value);
      } else {
        // the handler sees `closed` and disposes the value when it lands
        waits.push(slot.wait!);
      }
    }
    if (waits.length === 0) return this.up.close();
    return Promise.all(waits).then(() => this.up.close());
  }
}

import { DONE } from './cursor.js';
import type { Cursor, MaybePromise } from './cursor.js';

/**
 * The public async iterator over one epoch. Calls are serialised (a caller may call `next()`
 * again before the previous call settled); the pipeline is opened on the first `next()` and
 * closed when it ends, fails, or `return()` is called (`break` in `for await`), so buffered
 * tensors are released in every case.
 */
export class EpochIterator<T> implements AsyncIterableIterator<T> {
  private cursor: Cursor<T> | null = null;
  private state: 'new' | 'open' | 'closed' = 'new';
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly open: () => Cursor<T>) {}

  next(): Promise<IteratorResult<T, undefined>> {
    const p = this.queue.then(() => this.step());
    this.queue = p.catch(() => undefined);
    return p;
  }

  return(): Promise<IteratorResult<T, undefined>> {
    const p = this.queue.then(() => this.finish()).then(() => DONE);
    this.queue = p.catch(() => undefined);
    return p;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private async step(): Promise<IteratorResult<T, undefined>> {
    if (this.state === 'closed') return DONE;
    try {
      if (this.state === 'new') {
        this.state = 'open';
        this.cursor = this.open();
      }
      const r = await this.cursor!.next();
      if (r.done) await this.finish();
      return r;
    } catch (error) {
      await this.finish();
      throw error;
    }
  }

  private async finish(): Promise<void> {
    const c = this.cursor;
    this.cursor = null;
    this.state = 'closed';
    if (c !== null) await (c.close() as MaybePromise<void>);
  }
}

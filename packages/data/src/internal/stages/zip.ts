import { DONE, closeAll, isPromise, item, andThen } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';
import { disposeAll } from '../tree.js';

type Settled<T> = { ok: true; result: IteratorResult<T, undefined> } | { ok: false; error: unknown };

function settle<T>(cursor: Cursor<T>): MaybePromise<Settled<T>> {
  let r: MaybePromise<IteratorResult<T, undefined>>;
  try {
    r = cursor.next();
  } catch (error) {
    return { ok: false, error };
  }
  if (isPromise(r)) {
    return r.then(
      (result): Settled<T> => ({ ok: true, result }),
      (error: unknown): Settled<T> => ({ ok: false, error }),
    );
  }
  return { ok: true, result: r };
}

/**
 * Pulls one element from every cursor (asynchronous pulls overlap) and combines them with
 * `build`. Ends with the shortest input; elements pulled in an incomplete round are
 * disposed. A failure in one input drops (and disposes) that round.
 */
export class ZipCursor<T> implements Cursor<T> {
  private finished = false;

  constructor(
    private readonly cursors: readonly Cursor<unknown>[],
    private readonly build: (values: unknown[]) => T,
  ) {}

  next(): MaybePromise<IteratorResult<T, undefined>> {
    if (this.finished) return DONE;
    const pulls = this.cursors.map(settle);
    if (pulls.some(isPromise)) return Promise.all(pulls).then((s) => this.combine(s));
    return this.combine(pulls as Settled<unknown>[]);
  }

  private combine(settled: readonly Settled<unknown>[]): MaybePromise<IteratorResult<T, undefined>> {
    const failed = settled.find((s) => !s.ok);
    const ended = settled.some((s) => s.ok && s.result.done);
    if (failed !== undefined || ended) {
      for (const s of settled) if (s.ok && !s.result.done) disposeAll(s.result.value);
      if (failed !== undefined) throw (failed as { error: unknown }).error;
      return andThen(this.close(), () => DONE);
    }
    return item(this.build(settled.map((s) => (s as { result: IteratorYieldResult<unknown> }).result.value)));
  }

  close(): MaybePromise<void> {
    if (this.finished) return;
    this.finished = true;
    return closeAll(this.cursors);
  }
}

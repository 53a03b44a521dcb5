import { AGAIN, attempt, loop } from '../cursor.js';
import type { Cursor, MaybePromise } from '../cursor.js';

/**
 * Skips elements whose production failed upstream (a corrupt file in a `map`, a malformed
 * CSV row), counting them. Stages keep going after a failed element, so the next pull
 * continues with the following one.
 */
export class IgnoreErrorsCursor<T> implements Cursor<T> {
  private skipped = 0;

  constructor(
    private readonly up: Cursor<T>,
    private readonly when: (error: unknown) => boolean,
    private readonly onSkip: ((error: unknown, skipped: number) => void) | undefined,
    private readonly maxSkips: number,
  ) {}

  next(): MaybePromise<IteratorResult<T, undefined>> {
    return loop<IteratorResult<T, undefined>>(() =>
      attempt<IteratorResult<T, undefined> | typeof AGAIN>(
        () => this.up.next(),
        (error) => {
          if (!this.when(error) || this.skipped >= this.maxSkips) throw error;
          this.skipped++;
          this.onSkip?.(error, this.skipped);
          return AGAIN;
        },
      ),
    );
  }

  close(): MaybePromise<void> {
    return this.up.close();
  }
}

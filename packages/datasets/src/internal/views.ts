import { ShapeError, intInRange } from '@tensorloom/core';

// Checks and bounds shared by the split classes (ImageSplit, SegmentationSplit), which hold
// their items in flat typed arrays and hand out views of them.

/** Resolves `Array.prototype.slice`-style bounds (negative counts from the end, clamped). */
export function sliceBounds(count: number, start: number, end: number): [number, number] {
  const at = (v: number): number => (v < 0 ? Math.max(count + v, 0) : Math.min(v, count));
  const s = at(Math.trunc(start));
  const e = at(Math.trunc(end));
  return [s, Math.max(s, e)];
}

/** Refuses an item shape that is not `[h, w, c]` of positive integers. */
export function checkItemShape(unit: string, shape: readonly number[]): void {
  if (shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ShapeError(`${unit}: shape expected [h, w, c] of positive integers, got [${shape.join(', ')}]`);
  }
}

/** Refuses a `take(n)` count that is not a non-negative integer (`unit` is e.g. `ImageSplit.take`). */
export function checkTakeCount(unit: string, n: number): void {
  intInRange(unit, 'n', n, 0);
}

// Copies a box (an axis-aligned block) of a row-major array on the wasm heap into a dense
// array on the same heap, in place: no copy of the input leaves wasm memory. Slice, SplitV
// and Unpack are this copy with different boxes.
//
// The axes are first reduced to as few loops as the layout allows: the innermost axes that
// the box covers whole, plus the first one it does not, form one contiguous run; axes of
// size 1 only move the start; neighbouring loops that step evenly merge into one. Slicing
// one time step of [T, B, U] or splitting along axis 0 is then a single run; splitting
// [B, 4U] into gates is B runs of U values.

// Below these lengths a JS loop beats one `copyWithin` call (~17 ns each, measured in Node
// 20 on 4 to 512-byte runs: a 4-byte-word loop costs ~8 ns for 4 words and ~16 ns for 16).
const WORD_LOOP_BELOW = 64;
const BYTE_LOOP_BELOW = 16;

/**
 * Copies `x[begin[0] : begin[0] + size[0], ..., begin[r-1] : begin[r-1] + size[r-1]]` into
 * a dense row-major array of shape `size`.
 *
 * The caller checks that the box lies inside `shape`.
 *
 * @param heap - the wasm heap's bytes, read after the last allocation (a view dies when
 *   the heap grows).
 * @param src - byte offset of `x` on the heap.
 * @param shape - the shape of `x`.
 * @param begin - the box's first index along each axis.
 * @param size - the box's extent along each axis.
 * @param dst - byte offset of the output on the heap.
 * @param bytes - bytes per element (4 for float32 and int32, 1 for bool).
 */
export function copyBox(
  heap: Uint8Array,
  src: number,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dst: number,
  bytes: number,
): void {
  for (const n of size) if (n === 0) return;
  let from = src;
  let stride = bytes; // bytes between neighbours along the current axis of x
  let run = bytes; // bytes copied at once
  let axis = size.length - 1;
  while (axis >= 0) {
    from += (begin[axis] as number) * stride;
    run *= size[axis] as number;
    const whole = size[axis] === shape[axis];
    stride *= shape[axis] as number;
    axis--;
    if (!whole) break;
  }
  // The loops around the run, innermost first.
  const counts: number[] = [];
  const steps: number[] = [];
  for (; axis >= 0; axis--) {
    from += (begin[axis] as number) * stride;
    const n = size[axis] as number;
    const last = counts.length - 1;
    if (n === 1) {
      // Only moves the start.
    } else if (last >= 0 && (counts[last] as number) * (steps[last] as number) === stride) {
      counts[last] = (counts[last] as number) * n; // steps evenly past the inner loop: one loop
    } else {
      counts.push(n);
      steps.push(stride);
    }
    stride *= shape[axis] as number;
  }

  // Word copies need 4-byte alignment, which malloc's 8-byte alignment gives 4-byte dtypes.
  const aligned = bytes % 4 === 0 && heap.byteOffset % 4 === 0 && src % 4 === 0 && dst % 4 === 0;
  const words = aligned && run < WORD_LOOP_BELOW ? new Int32Array(heap.buffer, heap.byteOffset, heap.length >>> 2) : null;
  const copy = (at: number, to: number): void => {
    if (words !== null) {
      const w = run >>> 2;
      const a = at >>> 2;
      const t = to >>> 2;
      for (let k = 0; k < w; k++) words[t + k] = words[a + k] as number;
    } else if (run < BYTE_LOOP_BELOW) {
      for (let k = 0; k < run; k++) heap[to + k] = heap[at + k] as number;
    } else {
      heap.copyWithin(to, at, at + run);
    }
  };

  if (counts.length === 0) {
    copy(from, dst);
    return;
  }
  if (counts.length === 1) {
    const n = counts[0] as number;
    const step = steps[0] as number;
    for (let i = 0; i < n; i++, from += step, dst += run) copy(from, dst);
    return;
  }
  // An odometer over the loops; the innermost turns fastest.
  let runs = 1;
  for (const n of counts) runs *= n;
  const index = new Array<number>(counts.length).fill(0);
  for (let r = 0; r < runs; r++, dst += run) {
    copy(from, dst);
    let d = 0;
    index[0] = (index[0] as number) + 1;
    from += steps[0] as number;
    while (d < counts.length - 1 && index[d] === counts[d]) {
      from -= (counts[d] as number) * (steps[d] as number);
      index[d] = 0;
      d++;
      index[d] = (index[d] as number) + 1;
      from += steps[d] as number;
    }
  }
}

/**
 * Bytes per element of the dtypes tfjs-backend-wasm keeps on its heap (float32, int32,
 * bool), or `null` for those it keeps in JS (string) or does not support (complex64).
 */
export function bytesOnHeap(dtype: string): number | null {
  if (dtype === 'float32' || dtype === 'int32') return 4;
  if (dtype === 'bool') return 1;
  return null;
}

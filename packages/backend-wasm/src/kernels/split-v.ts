// SplitV and Unpack for wasm: every output copied from the input where it lies on the heap.
//
// tfjs-backend-wasm 4.22 builds both from its Slice, once per output, and that Slice first
// copies the whole input off the wasm heap (`readSync`): cutting a tensor into k parts
// copied it k times (an unstack of [28, 64, 128] into time steps took ~7 ms, ~0.04 ms
// from a heap view). Here all outputs are allocated first, then each is one box of the
// input (see copyBox). String tensors live in JS, not on the heap: they go to tfjs's kernels.
import { tf } from '@tensorloom/core';
import { bytesOnHeap, copyBox } from '../internal/copy-box.js';
import { heapBytes, heapOffset, type KernelArgs, original, wasmBackend } from '../internal/wasm.js';

/**
 * Cuts `x` along `axis` into consecutive parts of `sizes[i]` entries, each an output of
 * shape `shapeOf(i)` (x's shape with `sizes[i]` at `axis`, or without the axis for Unpack).
 */
export function splitAlong(
  args: KernelArgs,
  x: tf.TensorInfo,
  axis: number,
  sizes: readonly number[],
  shapeOf: (size: number) => number[],
): tf.TensorInfo[] {
  const backend = wasmBackend(args);
  const bytes = bytesOnHeap(x.dtype) as number;
  // Every output first: an allocation may grow the heap and detach older views of it.
  const outs = sizes.map((s) => backend.makeOutput(shapeOf(s), x.dtype));
  const heap = heapBytes(backend);
  const src = heapOffset(backend, x);
  // x seen as (outer, x.shape[axis], inner): the parts are boxes along the middle axis.
  const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const inner = tf.util.sizeFromShape(x.shape.slice(axis + 1));
  const shape = [outer, x.shape[axis] as number, inner];
  let begin = 0;
  outs.forEach((out, i) => {
    const s = sizes[i] as number;
    copyBox(heap, src, shape, [0, begin, 0], [outer, s, inner], heapOffset(backend, out), bytes);
    begin += s;
  });
  return outs;
}

function splitV(args: KernelArgs): tf.TensorInfo[] {
  const { x } = args.inputs as { x: tf.TensorInfo };
  if (bytesOnHeap(x.dtype) === null) return original(tf.SplitV).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo[];
  const { numOrSizeSplits, axis } = args.attrs as unknown as tf.SplitVAttrs;
  const $axis = tf.util.parseAxisParam(axis, x.shape)[0] as number;
  // tfjs's parsing and messages. It writes the size it infers for a -1 into the array it
  // is given: pass a copy, so the caller's attrs stay as they were.
  const splits = typeof numOrSizeSplits === 'number' ? numOrSizeSplits : [...numOrSizeSplits];
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, splits, $axis);
  return splitAlong(args, x, $axis, sizes, (s) => x.shape.map((d, k) => (k === $axis ? s : d)));
}

/** SplitV on the wasm backend, reading its input in place on the heap (see above). */
export const splitVConfig: tf.KernelConfig = {
  kernelName: tf.SplitV,
  backendName: 'wasm',
  kernelFunc: splitV as unknown as tf.KernelFunc,
};

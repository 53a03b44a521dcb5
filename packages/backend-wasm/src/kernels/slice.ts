// Slice for wasm, copying from the input where it lies on the wasm heap.
//
// tfjs-backend-wasm 4.22's Slice starts with `backend.readSync(x.dataId)`, which copies the
// whole input off the heap into a new JS array before copying the slice back: taking one
// time step [1, 64, 128] of a [28, 64, 128] tensor copied all 28 steps. This one copies the
// slice's contiguous runs heap to heap (see copyBox). String tensors live in JS, not on the
// heap: they go to tfjs's kernel.
import { ValueError, tf } from '@tensorloom/core';
import { bytesOnHeap, copyBox } from '../internal/copy-box.js';
import { heapBytes, heapOffset, type KernelArgs, original, wasmBackend } from '../internal/wasm.js';

function slice(args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { x } = args.inputs as { x: tf.TensorInfo };
  const bytes = bytesOnHeap(x.dtype);
  if (bytes === null) return original(tf.Slice).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  const { begin, size } = args.attrs as unknown as tf.SliceAttrs;
  // tfjs's own normalisation (a number or a short array is padded, size -1 means "to the
  // end", begin -1 is refused) and tfjs-backend-cpu's bounds check, with its messages.
  const [start, extent] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
  if (start.some((b) => b < 0)) {
    throw new ValueError(`Slice (wasm): begin expected non-negative indices, got [${start.join(', ')}]`);
  }
  tf.slice_util.assertParamsValid(x as tf.Tensor, start, extent);
  const out = backend.makeOutput(extent, x.dtype);
  // The heap is read after the allocation, which may have grown it.
  copyBox(heapBytes(backend), heapOffset(backend, x), x.shape, start, extent, heapOffset(backend, out), bytes);
  return out;
}

/** Slice on the wasm backend, reading its input in place on the heap (see above). */
export const sliceConfig: tf.KernelConfig = {
  kernelName: tf.Slice,
  backendName: 'wasm',
  kernelFunc: slice as unknown as tf.KernelFunc,
};

// UnsortedSegmentSum for wasm: out[s] = Σ_{i : segmentIds[i] = s} x[i], the gradient of
// gather (and so of every embedding lookup). segmentIds covers the leading axes of x; ids
// outside [0, numSegments) are dropped, as TensorFlow does.
import { assertDtype, tf } from '@tensorloom/core';
import { alloc, i32, type KernelArgs, wasmBackend } from '../internal/wasm.js';

const UNIT = 'UnsortedSegmentSum (wasm)';

/** The sum above on flat data: `x` holds `ids.length` rows of `inner` values. */
export function segmentSum(
  x: Float32Array | Int32Array,
  ids: Int32Array,
  numSegments: number,
  inner: number,
  out: Float32Array | Int32Array,
): void {
  out.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let k = 0; k < inner; k++) out[to + k] += x[from + k];
  }
}

function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { x, segmentIds } = args.inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = args.attrs as unknown as tf.UnsortedSegmentSumAttrs;
  assertDtype(UNIT, 'x', x as tf.Tensor, ['float32', 'int32']);
  assertDtype(UNIT, 'segmentIds', segmentIds as tf.Tensor, 'int32');
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const out = alloc(backend, [numSegments, ...innerShape], x.dtype);
  const view = (info: tf.TensorInfo) => backend.typedArrayFromHeap(info) as Float32Array | Int32Array;
  segmentSum(view(x), i32(backend, segmentIds), numSegments, tf.util.sizeFromShape(innerShape), view(out));
  return out;
}

/** UnsortedSegmentSum on the wasm backend (tfjs-backend-wasm 4.22 has none). */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc,
};

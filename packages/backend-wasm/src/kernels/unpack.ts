// Unpack (unstack) for wasm: each slice along the axis copied from the input where it lies
// on the heap, by the routine SplitV uses (see split-v.ts for why tfjs's is slow).
import { tf } from '@tensorloom/core';
import { bytesOnHeap } from '../internal/copy-box.js';
import { type KernelArgs, original } from '../internal/wasm.js';
import { splitAlong } from './split-v.js';

function unpack(args: KernelArgs): tf.TensorInfo[] {
  const { value } = args.inputs as { value: tf.TensorInfo };
  if (bytesOnHeap(value.dtype) === null) return original(tf.Unpack).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo[];
  const { axis } = args.attrs as unknown as tf.UnpackAttrs;
  const $axis = tf.util.parseAxisParam(axis, value.shape)[0] as number;
  const outShape = value.shape.filter((_, k) => k !== $axis); // the axis removed
  const ones = new Array<number>(value.shape[$axis] as number).fill(1);
  return splitAlong(args, value, $axis, ones, () => [...outShape]);
}

/** Unpack on the wasm backend, reading its input in place on the heap. */
export const unpackConfig: tf.KernelConfig = {
  kernelName: tf.Unpack,
  backendName: 'wasm',
  kernelFunc: unpack as unknown as tf.KernelFunc,
};

// Sum as one ONNX ReduceSum. The profile of the LSTM and transformer steps on 'native'
// showed wasm's Sum over the leading axis of large matrices (the bias gradients: [1792,512]
// over axis 0, [2048,512]) as a quarter of the kernel time; ONNX Runtime reduces them on
// every core. Sums of fewer than MIN_ELEMENTS, and non-float32 ones, stay on wasm.
import { tf } from '@tensorloom/core';
import { runGraph } from '../internal/graph.js';
import { choosePath, type KernelArgs, nativeKernel, runLight, useOrt, wasmBackend } from '../internal/kernel.js';

/** Below this many input elements a Sum always runs wasm's kernel. */
const MIN_ELEMENTS = 65_536;

function sum(args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const size = tf.util.sizeFromShape(x.shape);
  if (size < MIN_ELEMENTS || x.shape.length === 0 || !useOrt(Number.POSITIVE_INFINITY, x)) return runLight(tf.Sum, args);
  const axes = tf.util.parseAxisParam(axis, x.shape);
  if (axes.length === 0) return runLight(tf.Sum, args);
  const [reduced] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
  const outShape = keepDims ? tf.backend_util.expandShapeToKeepDim(reduced, axes) : reduced;
  const key = `Sum|${x.shape}|${axes}|${keepDims}`;
  const build = () => ({
    inputs: [{ name: 'x0', shape: x.shape }],
    outputs: [{ name: 'y0', shape: outShape }],
    nodes: [{ op: 'ReduceSum', inputs: ['x0', 'axes'], outputs: ['r'], attrs: { keepdims: keepDims ? 1 : 0 } },
      // ReduceSum to a scalar still has shape [] when keepdims is 0; Reshape keeps tfjs's shape.
      { op: 'Reshape', inputs: ['r', 'shape'], outputs: ['y0'] }],
    constants: { axes, shape: outShape },
  });
  return choosePath(key, () => runGraph(backend, key, build, [{ info: x }], [outShape])[0] as tf.TensorInfo, () => runLight(tf.Sum, args));
}

/** Sum as an ONNX ReduceSum for float32 inputs of 65,536 elements and more. */
export const sumConfig = nativeKernel(tf.Sum, sum, { light: true });

// Einsum for wasm, as tfjs-backend-cpu computes it (transpose, broadcast multiply, sum along
// the contraction path) but on wasm's kernels. tfjs-core registers no gradient for Einsum,
// so this serves inference: a model that calls tf.einsum runs on wasm as it does on cpu.
import { tf } from '@tensorloom/core';
import { free, runKernel, type KernelArgs, wasmBackend } from '../internal/wasm.js';

function einsum(args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const tensors = args.inputs as unknown as tf.TensorInfo[];
  const { equation } = args.attrs as unknown as tf.EinsumAttrs;
  const bu = tf.backend_util;
  const { allDims, summedDims, idDims } = bu.decodeEinsumEquation(equation, tensors.length);
  bu.checkEinsumDimSizes(allDims.length, idDims, tensors as tf.Tensor[]);
  const { path, steps } = bu.getEinsumComputePath(summedDims, idDims);

  let out: tf.TensorInfo | null = null;
  let numDimsRemaining = allDims.length;
  const owned: tf.TensorInfo[] = [];
  for (let i = 0; i < steps.length; i++) {
    for (const idTerm of steps[i] as number[]) {
      const { permutationIndices: perm, expandDims } = bu.getEinsumPermutation(
        numDimsRemaining,
        idDims[idTerm] as number[],
      );
      let x = tensors[idTerm] as tf.TensorInfo;
      if (!bu.isIdentityPermutation(perm)) {
        x = runKernel(backend, 'Transpose', { x }, { perm });
        owned.push(x);
      }
      const targetShape = x.shape.slice();
      for (const axis of expandDims) targetShape.splice(axis, 0, 1);
      if (!tf.util.arraysEqual(x.shape, targetShape)) {
        x = runKernel(backend, 'Reshape', { x }, { shape: targetShape });
        owned.push(x);
      }
      if (out === null) {
        out = x;
      } else {
        out = runKernel(backend, 'Multiply', { a: x, b: out });
        owned.push(out);
      }
    }
    if (i < steps.length - 1) {
      if ((path[i] as number) >= 0) {
        out = runKernel(backend, 'Sum', { x: out as tf.TensorInfo }, {
          axis: (path[i] as number) - (allDims.length - numDimsRemaining),
          keepDims: false,
        });
        owned.push(out);
      }
      numDimsRemaining--;
    }
  }
  let result = out as tf.TensorInfo;
  // An equation that only reads one operand as it is ('ij->ij') ends on the input itself;
  // a kernel must return memory of its own.
  if (!owned.includes(result)) result = runKernel(backend, 'Identity', { x: result });
  free(backend, ...owned.filter((t) => t !== result));
  return result;
}

/** Einsum on the wasm backend (tfjs-backend-wasm 4.22 has none). */
export const einsumConfig: tf.KernelConfig = {
  kernelName: tf.Einsum,
  backendName: 'wasm',
  kernelFunc: einsum as unknown as tf.KernelFunc,
};

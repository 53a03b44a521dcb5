// BatchMatMul and _FusedMatMul for wasm, with the transposes done explicitly.
//
// tfjs-backend-wasm's products run at 16–25 GFLOP/s when neither operand is transposed and
// at 1–2 GFLOP/s with transposeA or transposeB (measured on a 64×784×256 product: 1.0 ms
// plain, 10.4 ms with transposeA, 0.8 ms for an explicit Transpose then a plain product).
// The backward pass of every dense layer and attention product asks for transposed
// operands, so these wrappers transpose them first and call the original kernel.
import { tf } from '@tensorloom/core';
import { free, original, runKernel, setupOriginal, swapLastTwo, type KernelArgs, wasmBackend } from '../internal/wasm.js';

function plainProduct(kernelName: string, args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const attrs = args.attrs as { transposeA: boolean; transposeB: boolean };
  const forward = original(kernelName).kernelFunc;
  if (!attrs.transposeA && !attrs.transposeB) {
    return forward(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const a2 = attrs.transposeA ? runKernel(backend, 'Transpose', { x: a }, { perm: swapLastTwo(a.shape.length) }) : a;
  const b2 = attrs.transposeB ? runKernel(backend, 'Transpose', { x: b }, { perm: swapLastTwo(b.shape.length) }) : b;
  const out = forward({
    inputs: { ...args.inputs, a: a2, b: b2 },
    backend,
    attrs: { ...args.attrs, transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
  if (a2 !== a) free(backend, a2);
  if (b2 !== b) free(backend, b2);
  return out;
}

/** BatchMatMul on the wasm backend, transposing operands explicitly (see above). */
export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: 'wasm',
  kernelFunc: ((args: KernelArgs) => plainProduct(tf.BatchMatMul, args)) as unknown as tf.KernelFunc,
  setupFunc: setupOriginal(tf.BatchMatMul),
};

/** _FusedMatMul (product + bias + activation) on the wasm backend, transposing explicitly. */
export const fusedMatMulConfig: tf.KernelConfig = {
  kernelName: tf._FusedMatMul,
  backendName: 'wasm',
  kernelFunc: ((args: KernelArgs) => plainProduct(tf._FusedMatMul, args)) as unknown as tf.KernelFunc,
  setupFunc: setupOriginal(tf._FusedMatMul),
};

// Conv2DBackpropFilter for wasm: the gradient of a 2-D convolution with respect to its filter.
//
// dW[fh, fw, ci, co] = Σ_{n, oh, ow} x[n, oh·sh + fh − padTop, ow·sw + fw − padLeft, ci] · dy[n, oh, ow, co]
//
// computed as one matrix product on the wasm heap: the transposed patch matrix
// Pᵀ (FH·FW·Ci, N·OH·OW), written by an im2col loop, times dy (N·OH·OW, Co). Building Pᵀ
// directly avoids the transposed MatMul, which is ~10× slower than a plain one on wasm.
// Large batches are split so that Pᵀ stays under 32 MB, and the products summed.
import { tf } from '@tensorloom/core';
import { alloc, f32, free, runKernel, type KernelArgs, wasmBackend, withShape } from '../internal/wasm.js';

/**
 * Writes the transposed im2col matrix of `x` (NHWC) for `convInfo` into `out`:
 * row (fh, fw, ci), column (n, oh, ow); taps that fall in the padding are 0.
 */
export function im2colTransposed(x: Float32Array, convInfo: tf.backend_util.Conv2DInfo, out: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth } = convInfo;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = convInfo;
  const padTop = convInfo.padInfo.top;
  const padLeft = convInfo.padInfo.left;
  const m = batchSize * outHeight * outWidth;
  for (let fh = 0; fh < filterHeight; fh++) {
    for (let fw = 0; fw < filterWidth; fw++) {
      for (let ci = 0; ci < inChannels; ci++) {
        let o = ((fh * filterWidth + fw) * inChannels + ci) * m;
        for (let n = 0; n < batchSize; n++) {
          for (let oh = 0; oh < outHeight; oh++) {
            const ih = oh * strideHeight + fh * dilationHeight - padTop;
            if (ih < 0 || ih >= inHeight) {
              out.fill(0, o, o + outWidth);
              o += outWidth;
              continue;
            }
            const rowBase = (n * inHeight + ih) * inWidth;
            for (let ow = 0; ow < outWidth; ow++) {
              const iw = ow * strideWidth + fw * dilationWidth - padLeft;
              out[o++] = iw >= 0 && iw < inWidth ? x[(rowBase + iw) * inChannels + ci] : 0;
            }
          }
        }
      }
    }
  }
}

/** Most floats the patch matrix may hold at once (32 MB); larger batches go in chunks. */
let patchBudget = 1 << 23;

/** Test hook: sets the patch budget and returns the previous one. */
export function setPatchBudget(floats: number): number {
  const previous = patchBudget;
  patchBudget = floats;
  return previous;
}

function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
    args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const channelsFirst = tf.backend_util.convertConv2DDataFormat(dataFormat) === 'channelsFirst';
  // The im2col loop reads NHWC; NCHW inputs are transposed once.
  const xs = channelsFirst ? runKernel(backend, 'Transpose', { x }, { perm: [0, 2, 3, 1] }) : x; // (N, H, W, Ci)
  const dys = channelsFirst ? runKernel(backend, 'Transpose', { x: dy }, { perm: [0, 2, 3, 1] }) : dy; // (N, OH, OW, Co)
  const convInfo = tf.backend_util.computeConv2DInfo(
    xs.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, filterHeight, filterWidth, inChannels, outChannels } = convInfo;
  const pixels = convInfo.outHeight * convInfo.outWidth;
  const r = filterHeight * filterWidth * inChannels;
  // Pᵀ holds r · N·OH·OW floats; a chunk of images at a time keeps it within the budget.
  const chunk = Math.max(1, Math.min(batchSize, Math.floor(patchBudget / (r * pixels))));

  let dW: tf.TensorInfo | null = null; // (FH·FW·Ci, Co)
  for (let n0 = 0; n0 < batchSize; n0 += chunk) {
    const images = Math.min(chunk, batchSize - n0);
    const m = images * pixels;
    const patchesT = alloc(backend, [r, m]); // (FH·FW·Ci, images·OH·OW)
    const dyChunk = images === batchSize ? withShape(dys, [m, outChannels]) : alloc(backend, [m, outChannels]);
    const xView = f32(backend, xs).subarray(n0 * inHeight * inWidth * inChannels, (n0 + images) * inHeight * inWidth * inChannels);
    im2colTransposed(xView, { ...convInfo, batchSize: images }, f32(backend, patchesT));
    if (dyChunk.dataId !== dys.dataId) {
      f32(backend, dyChunk).set(f32(backend, dys).subarray(n0 * pixels * outChannels, (n0 + images) * pixels * outChannels));
    }
    const part = runKernel(backend, 'BatchMatMul', { a: patchesT, b: dyChunk }, { transposeA: false, transposeB: false });
    free(backend, patchesT);
    if (dyChunk.dataId !== dys.dataId) free(backend, dyChunk);
    if (dW === null) {
      dW = part;
    } else {
      const total = f32(backend, dW);
      const add = f32(backend, part);
      for (let i = 0; i < total.length; i++) total[i] += add[i];
      free(backend, part);
    }
  }
  if (channelsFirst) free(backend, xs, dys);
  return withShape(dW as tf.TensorInfo, [filterHeight, filterWidth, inChannels, outChannels]);
}

/** Conv2DBackpropFilter on the wasm backend (tfjs-backend-wasm 4.22 has none). */
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};

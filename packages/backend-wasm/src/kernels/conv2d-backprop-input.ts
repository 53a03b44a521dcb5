// Conv2DBackpropInput for wasm: the gradient of a 2-D convolution with respect to its input
// (also the forward pass of a transposed convolution).
//
// tfjs-backend-wasm has this kernel, but as a direct loop it runs ~10× slower than the
// forward convolution. This one rewrites it as a forward convolution, which runs on
// XNNPACK: dy is spread out by the strides (zeros between its pixels) and padded so that a
// 'valid', stride-1 convolution with the filter rotated by 180° and its channel axes
// swapped gives dx:
//
//   dx[n, h, w, ci] = Σ_{fh, fw, co} dyPadded[n, h + fh, w + fw, co] · W[FH−1−fh, FW−1−fw, ci, co]
//
// where dy[n, oh, ow] sits at dyPadded[n, FH−1−padTop + oh·sh, FW−1−padLeft + ow·sw].
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '@tensorloom/core';
import { alloc, f32, free, original, runKernel, setupOriginal, type KernelArgs, wasmBackend } from '../internal/wasm.js';

/**
 * Writes dy (N, OH, OW, C) into `out` (N, HP, WP, C): zeros everywhere except
 * out[n, top + oh·sh, left + ow·sw, :] = dy[n, oh, ow, :]; positions outside `out` are dropped.
 */
function spreadAndPad(
  dy: Float32Array,
  dyShape: readonly number[],
  out: Float32Array,
  outHeight: number,
  outWidth: number,
  top: number,
  left: number,
  strideHeight: number,
  strideWidth: number,
): void {
  const [batch, dyHeight, dyWidth, channels] = dyShape as [number, number, number, number];
  out.fill(0);
  for (let n = 0; n < batch; n++) {
    for (let oh = 0; oh < dyHeight; oh++) {
      const h = top + oh * strideHeight;
      if (h < 0 || h >= outHeight) continue;
      for (let ow = 0; ow < dyWidth; ow++) {
        const w = left + ow * strideWidth;
        if (w < 0 || w >= outWidth) continue;
        const from = ((n * dyHeight + oh) * dyWidth + ow) * channels;
        out.set(dy.subarray(from, from + channels), ((n * outHeight + h) * outWidth + w) * channels);
      }
    }
  }
}

/**
 * dy (N, OH, OW, C) spread out by the strides and padded by the filter's reach into a new
 * wasm tensor (N, H + (FH−1)·dh, W + (FW−1)·dw, C), the caller to free it: a 'valid',
 * stride-1 convolution of it with the filter rotated by 180° (and the same dilation) gives
 * the gradient with respect to the input. Shared by the plain and depthwise kernels.
 */
export function spreadDy(backend: BackendWasm, dy: tf.TensorInfo, convInfo: tf.backend_util.Conv2DInfo): tf.TensorInfo {
  const { batchSize, inHeight, inWidth, outChannels, filterHeight, filterWidth, dilationHeight, dilationWidth } = convInfo;
  const paddedHeight = inHeight + (filterHeight - 1) * dilationHeight;
  const paddedWidth = inWidth + (filterWidth - 1) * dilationWidth;
  const dyPadded = alloc(backend, [batchSize, paddedHeight, paddedWidth, outChannels]); // (N, HP, WP, C)
  spreadAndPad(
    f32(backend, dy),
    dy.shape,
    f32(backend, dyPadded),
    paddedHeight,
    paddedWidth,
    (filterHeight - 1) * dilationHeight - convInfo.padInfo.top,
    (filterWidth - 1) * dilationWidth - convInfo.padInfo.left,
    convInfo.strideHeight,
    convInfo.strideWidth,
  );
  return dyPadded;
}

/** W (FH, FW, Ci, Co) → W rotated by 180° in space with its channel axes swapped (FH, FW, Co, Ci). */
export function rotateFilter(filter: Float32Array, shape: readonly number[], out: Float32Array): void {
  const [fhs, fws, cis, cos] = shape as [number, number, number, number];
  for (let fh = 0; fh < fhs; fh++) {
    for (let fw = 0; fw < fws; fw++) {
      const src = ((fhs - 1 - fh) * fws + (fws - 1 - fw)) * cis * cos;
      const dst = (fh * fws + fw) * cos * cis;
      for (let ci = 0; ci < cis; ci++) {
        for (let co = 0; co < cos; co++) out[dst + co * cis + ci] = filter[src + ci * cos + co];
      }
    }
  }
}

function conv2DBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } =
    args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (tf.backend_util.convertConv2DDataFormat(dataFormat) === 'channelsFirst') {
    return original(tf.Conv2DBackpropInput).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const convInfo = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { filterHeight, filterWidth, inChannels, outChannels } = convInfo;
  const dyPadded = spreadDy(backend, dy, convInfo); // (N, H + FH − 1, W + FW − 1, Co)
  const rotated = alloc(backend, [filterHeight, filterWidth, outChannels, inChannels]); // (FH, FW, Co, Ci)
  rotateFilter(f32(backend, filter), filter.shape, f32(backend, rotated));
  const dx = runKernel(
    backend,
    'Conv2D',
    { x: dyPadded, filter: rotated },
    { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined } as unknown as tf.NamedAttrMap,
  ); // (N, H, W, Ci)
  free(backend, dyPadded, rotated);
  return dx;
}

/**
 * Conv2DBackpropInput on the wasm backend, as a forward convolution (NHWC); NCHW inputs go
 * to the kernel tfjs-backend-wasm registered.
 */
export const conv2DBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as tf.KernelFunc,
  setupFunc: setupOriginal(tf.Conv2DBackpropInput),
};

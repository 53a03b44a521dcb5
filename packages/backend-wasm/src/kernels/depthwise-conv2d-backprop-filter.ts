// DepthwiseConv2dNativeBackpropFilter for wasm: the gradient of a depthwise convolution with
// respect to its filter (FH, FW, Ci, Cm), where output channel c·Cm + m reads input channel c:
//
// dW[fh, fw, c, m] = Σ_{n, oh, ow} x[n, oh·sh + fh·dh − padTop, ow·sw + fw·dw − padLeft, c] · dy[n, oh, ow, c·Cm + m]
//
// Each filter tap is a sum over N·OH·OW of per-channel products, not a matrix product, so a
// direct loop over the heap does it in one pass with float64 accumulators.
import { tf } from '@tensorloom/core';
import { alloc, f32, type KernelArgs, wasmBackend } from '../internal/wasm.js';

/** The loop above, on NHWC data; `out` is (FH, FW, Ci, Cm). */
export function depthwiseFilterGrad(
  x: Float32Array,
  dy: Float32Array,
  convInfo: tf.backend_util.Conv2DInfo,
  out: Float32Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = convInfo;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = convInfo;
  const padTop = convInfo.padInfo.top;
  const padLeft = convInfo.padInfo.left;
  const multiplier = outChannels / inChannels;
  const acc = new Float64Array(outChannels);
  for (let fh = 0; fh < filterHeight; fh++) {
    for (let fw = 0; fw < filterWidth; fw++) {
      acc.fill(0);
      for (let n = 0; n < batchSize; n++) {
        for (let oh = 0; oh < outHeight; oh++) {
          const ih = oh * strideHeight + fh * dilationHeight - padTop;
          if (ih < 0 || ih >= inHeight) continue;
          for (let ow = 0; ow < outWidth; ow++) {
            const iw = ow * strideWidth + fw * dilationWidth - padLeft;
            if (iw < 0 || iw >= inWidth) continue;
            const xo = ((n * inHeight + ih) * inWidth + iw) * inChannels;
            const yo = ((n * outHeight + oh) * outWidth + ow) * outChannels;
            if (multiplier === 1) {
              for (let c = 0; c < inChannels; c++) acc[c] += x[xo + c] * dy[yo + c];
            } else {
              for (let c = 0; c < inChannels; c++) {
                const xv = x[xo + c];
                const base = c * multiplier;
                for (let m = 0; m < multiplier; m++) acc[base + m] += xv * dy[yo + base + m];
              }
            }
          }
        }
      }
      out.set(acc, (fh * filterWidth + fw) * outChannels);
    }
  }
}

function depthwiseConv2dNativeBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const convInfo = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const dW = alloc(backend, filterShape); // (FH, FW, Ci, Cm)
  depthwiseFilterGrad(f32(backend, x), f32(backend, dy), convInfo, f32(backend, dW));
  return dW;
}

/** DepthwiseConv2dNativeBackpropFilter on the wasm backend (tfjs-backend-wasm 4.22 has none). */
export const depthwiseConv2dNativeBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as tf.KernelFunc,
};

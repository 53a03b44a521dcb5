// DepthwiseConv2dNativeBackpropInput for wasm: the gradient of a depthwise convolution with
// respect to its input. Each output pixel scatters back into the input pixels its taps read:
//
// dx[n, oh·sh + fh·dh − padTop, ow·sw + fw·dw − padLeft, c] += Σ_m dy[n, oh, ow, c·Cm + m] · W[fh, fw, c, m]
import { tf } from '@tensorloom/core';
import { alloc, f32, type KernelArgs, wasmBackend } from '../internal/wasm.js';

/** The scatter above, on NHWC data; `out` is (N, H, W, Ci) and is overwritten. */
export function depthwiseInputGrad(
  dy: Float32Array,
  filter: Float32Array,
  convInfo: tf.backend_util.Conv2DInfo,
  out: Float32Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = convInfo;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = convInfo;
  const padTop = convInfo.padInfo.top;
  const padLeft = convInfo.padInfo.left;
  const multiplier = outChannels / inChannels;
  out.fill(0);
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let fh = 0; fh < filterHeight; fh++) {
        const ih = oh * strideHeight + fh * dilationHeight - padTop;
        if (ih < 0 || ih >= inHeight) continue;
        for (let ow = 0; ow < outWidth; ow++) {
          const yo = ((n * outHeight + oh) * outWidth + ow) * outChannels;
          for (let fw = 0; fw < filterWidth; fw++) {
            const iw = ow * strideWidth + fw * dilationWidth - padLeft;
            if (iw < 0 || iw >= inWidth) continue;
            const xo = ((n * inHeight + ih) * inWidth + iw) * inChannels;
            const wo = (fh * filterWidth + fw) * outChannels;
            if (multiplier === 1) {
              for (let c = 0; c < inChannels; c++) out[xo + c] += dy[yo + c] * filter[wo + c];
            } else {
              for (let c = 0; c < inChannels; c++) {
                const base = c * multiplier;
                let s = 0;
                for (let m = 0; m < multiplier; m++) s += dy[yo + base + m] * filter[wo + base + m];
                out[xo + c] += s;
              }
            }
          }
        }
      }
    }
  }
}

function depthwiseConv2dNativeBackpropInput(args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const convInfo = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const dx = alloc(backend, [...inputShape]); // (N, H, W, Ci)
  depthwiseInputGrad(f32(backend, dy), f32(backend, filter), convInfo, f32(backend, dx));
  return dx;
}

/** DepthwiseConv2dNativeBackpropInput on the wasm backend (tfjs-backend-wasm 4.22 has none). */
export const depthwiseConv2dNativeBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as tf.KernelFunc,
};

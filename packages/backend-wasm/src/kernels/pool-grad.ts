// MaxPoolGrad and AvgPoolGrad for wasm, consistent with the forward pools.
//
// tfjs-backend-wasm has both, but (compared with float64 references, see pool-grad.test.ts)
// its MaxPoolGrad is wrong as soon as the batch or the channels exceed 1, and for [1, k]
// windows (1-D pools), so for every real network; its AvgPoolGrad, like tfjs-backend-cpu's,
// divides by the whole window where AvgPool divides by the pixels inside the image, which
// is wrong at the borders of 'same' padding.
// These route each output gradient back exactly as the forward pass read its window:
//
//   max: dx[argmax of the window] += dy   (the first maximum in row-major order, as the forward)
//   avg: dx[each pixel of the window inside the image] += dy / (number of such pixels)
import { tf } from '@tensorloom/core';
import { alloc, f32, type KernelArgs, wasmBackend } from '../internal/wasm.js';

/** The gradient of a 2-D max or average pool on NHWC data; `out` (N, H, W, C) is overwritten. */
export function poolGrad(
  kind: 'max' | 'avg',
  x: Float32Array,
  dy: Float32Array,
  convInfo: tf.backend_util.Conv2DInfo,
  out: Float32Array,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = convInfo;
  const { strideHeight, strideWidth, effectiveFilterHeight, effectiveFilterWidth } = convInfo;
  const { dilationHeight, dilationWidth } = convInfo;
  const padTop = convInfo.padInfo.top;
  const padLeft = convInfo.padInfo.left;
  const best = new Float64Array(channels);
  const where = new Int32Array(channels);
  out.fill(0);
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const hStart = oh * strideHeight - padTop;
      let hMin = hStart;
      while (hMin < 0) hMin += dilationHeight;
      const hEnd = Math.min(inHeight, hStart + effectiveFilterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const wStart = ow * strideWidth - padLeft;
        let wMin = wStart;
        while (wMin < 0) wMin += dilationWidth;
        const wEnd = Math.min(inWidth, wStart + effectiveFilterWidth);
        const yo = ((n * outHeight + oh) * outWidth + ow) * channels;
        if (kind === 'avg') {
          const count = Math.ceil((hEnd - hMin) / dilationHeight) * Math.ceil((wEnd - wMin) / dilationWidth);
          if (count <= 0) continue;
          for (let h = hMin; h < hEnd; h += dilationHeight) {
            for (let w = wMin; w < wEnd; w += dilationWidth) {
              const xo = ((n * inHeight + h) * inWidth + w) * channels;
              for (let c = 0; c < channels; c++) out[xo + c] += dy[yo + c] / count;
            }
          }
          continue;
        }
        best.fill(-Infinity);
        where.fill(-1);
        for (let h = hMin; h < hEnd; h += dilationHeight) {
          for (let w = wMin; w < wEnd; w += dilationWidth) {
            const xo = ((n * inHeight + h) * inWidth + w) * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[xo + c];
              // `where < 0` takes the first pixel even when every value is -Infinity or NaN.
              if (v > best[c] || where[c] < 0) {
                best[c] = v;
                where[c] = xo + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) if (where[c] >= 0) out[where[c]] += dy[yo + c];
      }
    }
  }
}

function gradKernel(kind: 'max' | 'avg') {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = wasmBackend(args);
    const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as tf.MaxPoolGradAttrs;
    const convInfo = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const dx = alloc(backend, [...input.shape]); // (N, H, W, C)
    poolGrad(kind, f32(backend, input), f32(backend, dy), convInfo, f32(backend, dx));
    return dx;
  };
}

/** MaxPoolGrad on the wasm backend, correct for any batch, channels and window (see above). */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: gradKernel('max') as unknown as tf.KernelFunc,
};

/** AvgPoolGrad on the wasm backend, consistent with AvgPool at 'same' borders (see above). */
export const avgPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.AvgPoolGrad,
  backendName: 'wasm',
  kernelFunc: gradKernel('avg') as unknown as tf.KernelFunc,
};

// ResizeNearestNeighborGrad and ResizeBilinearGrad for wasm: the gradients of UpSampling2D.
//
// tfjs-backend-wasm's (and tfjs-backend-cpu's) ignore `halfPixelCenters`, so they are not
// the gradient of the forward resize when it is set (see resize-grad.test.ts). With it set,
// these compute the exact adjoints of tfjs's forward resizes: each output pixel sends its
// gradient back to the input pixels it was read from, with the weights it was read with.
// Without it, tfjs-backend-wasm's C++ kernels are right and faster, and run.
import { tf } from '@tensorloom/core';
import { alloc, f32, original, setupOriginal, type KernelArgs, wasmBackend } from '../internal/wasm.js';

/** Where tfjs's forward resize reads output row (or column) `i` from, as a fraction. */
function scale(inSize: number, outSize: number, alignCorners: boolean): number {
  return alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
}

/** The source index of nearest-neighbour output index `i` (tfjs's forward rule). */
function nearestSource(i: number, ratio: number, inSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const frac = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
  const index = Math.min(inSize - 1, alignCorners ? Math.round(frac) : Math.floor(frac));
  return halfPixelCenters ? Math.max(0, index) : index;
}

/** The two source indices and the weight of the second, for bilinear output index `i`. */
function bilinearSource(i: number, ratio: number, inSize: number, halfPixelCenters: boolean): [number, number, number] {
  const frac = halfPixelCenters ? ratio * (i + 0.5) - 0.5 : ratio * i;
  const lo = Math.max(0, Math.floor(frac));
  return [lo, Math.min(inSize - 1, Math.ceil(frac)), frac - lo];
}

/**
 * The gradient of a resize of `imagesShape` (N, H, W, C) to dy's (N, H', W', C); `out` is
 * overwritten.
 */
export function resizeGrad(
  kind: 'nearest' | 'bilinear',
  dy: Float32Array,
  dyShape: readonly number[],
  imagesShape: readonly number[],
  alignCorners: boolean,
  halfPixelCenters: boolean,
  out: Float32Array,
): void {
  const [batch, inHeight, inWidth, channels] = imagesShape as [number, number, number, number];
  const [, outHeight, outWidth] = dyShape as [number, number, number, number];
  const rowRatio = scale(inHeight, outHeight, alignCorners);
  const colRatio = scale(inWidth, outWidth, alignCorners);
  out.fill(0);
  const add = (n: number, h: number, w: number, from: number, weight: number) => {
    if (weight === 0) return;
    const to = ((n * inHeight + h) * inWidth + w) * channels;
    for (let c = 0; c < channels; c++) out[to + c] += weight * dy[from + c];
  };
  for (let n = 0; n < batch; n++) {
    for (let r = 0; r < outHeight; r++) {
      for (let k = 0; k < outWidth; k++) {
        const from = ((n * outHeight + r) * outWidth + k) * channels;
        if (kind === 'nearest') {
          const h = nearestSource(r, rowRatio, inHeight, alignCorners, halfPixelCenters);
          const w = nearestSource(k, colRatio, inWidth, alignCorners, halfPixelCenters);
          add(n, h, w, from, 1);
          continue;
        }
        const [top, bottom, dr] = bilinearSource(r, rowRatio, inHeight, halfPixelCenters);
        const [left, right, dc] = bilinearSource(k, colRatio, inWidth, halfPixelCenters);
        // forward: top + (bottom − top)·dr with top = tl + (tr − tl)·dc, bottom alike.
        add(n, top, left, from, (1 - dr) * (1 - dc));
        add(n, top, right, from, (1 - dr) * dc);
        add(n, bottom, left, from, dr * (1 - dc));
        add(n, bottom, right, from, dr * dc);
      }
    }
  }
}

function gradKernel(kind: 'nearest' | 'bilinear', kernelName: string) {
  return (args: KernelArgs): tf.TensorInfo => {
    const backend = wasmBackend(args);
    const { images, dy } = args.inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
    const { alignCorners, halfPixelCenters } = args.attrs as unknown as tf.ResizeBilinearAttrs;
    if (halfPixelCenters !== true || images.dtype !== 'float32') {
      return original(kernelName).kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const dx = alloc(backend, [...images.shape]); // (N, H, W, C)
    resizeGrad(kind, f32(backend, dy), dy.shape, images.shape, alignCorners, true, f32(backend, dx));
    return dx;
  };
}

/** ResizeNearestNeighborGrad on the wasm backend, honouring `halfPixelCenters`. */
export const resizeNearestNeighborGradConfig: tf.KernelConfig = {
  kernelName: tf.ResizeNearestNeighborGrad,
  backendName: 'wasm',
  kernelFunc: gradKernel('nearest', tf.ResizeNearestNeighborGrad) as unknown as tf.KernelFunc,
  setupFunc: setupOriginal(tf.ResizeNearestNeighborGrad),
};

/** ResizeBilinearGrad on the wasm backend, honouring `halfPixelCenters`. */
export const resizeBilinearGradConfig: tf.KernelConfig = {
  kernelName: tf.ResizeBilinearGrad,
  backendName: 'wasm',
  kernelFunc: gradKernel('bilinear', tf.ResizeBilinearGrad) as unknown as tf.KernelFunc,
  setupFunc: setupOriginal(tf.ResizeBilinearGrad),
};

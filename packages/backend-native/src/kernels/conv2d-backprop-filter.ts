// Conv2DBackpropFilter and DepthwiseConv2dNativeBackpropFilter as one ONNX Conv.
//
// dW[i, j, ci, co] = Σ_{n, oh, ow} x[n, oh·s + i·d − top, ow·s + j·d − left, ci] · dy[n, oh, ow, co]
// is a convolution of x, with the batch as its channels, by dy as the filter, with stride
// and dilation swapped: x (N, H, W, Ci) → (Ci, N, H, W), dy (N, OH, OW, Co) → (Co, N, OH,
// OW), Conv(stride d, dilation s) → (Ci, Co, kh, kw) → (kh, kw, Ci, Co). The bottom and
// right pads are chosen so that exactly kh × kw outputs come out; rows and columns of x the
// forward conv never read are cut off first. Depthwise: the same with group C over
// x → (1, C·N, H, W) and dy → (C·mult, N, OH, OW), giving (1, C·mult, kh, kw).
import { tf } from '@tensorloom/core';
import { runGraph } from '../internal/graph.js';
import { choosePath, type KernelArgs, nativeKernel, runLight, useOrt, wasmBackend } from '../internal/kernel.js';
import type { OnnxNode } from '../internal/onnx.js';
import { ortAgrees } from './conv2d.js';

interface BackpropFilterAttrs {
  filterShape: [number, number, number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Pad after, and the input length to keep, so that the swapped conv yields `k` outputs. */
function fit(inLength: number, padBefore: number, outLength: number, stride: number, k: number, dilation: number): [number, number] {
  const needed = (k - 1) * dilation + 1 + (outLength - 1) * stride; // padded input length read
  const padAfter = needed - inLength - padBefore;
  return padAfter >= 0 ? [padAfter, inLength] : [0, needed - padBefore];
}

function backpropFilter(kernelName: string, depthwise: boolean, args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as BackpropFilterAttrs;
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC' || x.shape.length !== 4) return runLight(kernelName, args);
  const filterShape = [...attrs.filterShape] as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
  const perOutput = 2 * info.filterHeight * info.filterWidth * (depthwise ? 1 : info.inChannels);
  if (!useOrt(perOutput * tf.util.sizeFromShape(info.outShape), x, dy) || !ortAgrees(info)) return runLight(kernelName, args);

  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [kh, kw, , mult] = filterShape;
  const p = info.padInfo;
  const [padBottom, keepH] = fit(h, p.top, info.outHeight, info.strideHeight, kh, info.dilationHeight);
  const [padRight, keepW] = fit(w, p.left, info.outWidth, info.strideWidth, kw, info.dilationWidth);
  const conv = {
    strides: [info.dilationHeight, info.dilationWidth],
    dilations: [info.strideHeight, info.strideWidth],
    pads: [p.top, p.left, padBottom, padRight],
    kernel_shape: [info.outHeight, info.outWidth],
  };
  const key = `${kernelName}|${x.shape}|${dy.shape}|${filterShape}|${JSON.stringify(conv)}`;
  const build = () => {
    const nodes: OnnxNode[] = [{ op: 'Transpose', inputs: ['x0'], outputs: ['xt'], attrs: { perm: [3, 0, 1, 2] } }]; // (C, N, H, W)
    const constants: Record<string, number[]> = {};
    let xc = 'xt';
    if (keepH < h || keepW < w) {
      Object.assign(constants, { starts: [0, 0], ends: [keepH, keepW], axes: [2, 3] });
      nodes.push({ op: 'Slice', inputs: ['xt', 'starts', 'ends', 'axes'], outputs: ['xs'] });
      xc = 'xs';
    }
    nodes.push({ op: 'Transpose', inputs: ['x1'], outputs: ['dyt'], attrs: { perm: [3, 0, 1, 2] } }); // (Co, N, OH, OW)
    if (depthwise) {
      constants.groupedShape = [1, c * n, keepH, keepW];
      constants.filterShape = [kh, kw, c, mult];
      nodes.push(
        { op: 'Reshape', inputs: [xc, 'groupedShape'], outputs: ['xg'] }, // (1, C·N, H, W)
        { op: 'Conv', inputs: ['xg', 'dyt'], outputs: ['dwc'], attrs: { ...conv, group: c } }, // (1, C·mult, kh, kw)
        { op: 'Transpose', inputs: ['dwc'], outputs: ['dwt'], attrs: { perm: [2, 3, 0, 1] } }, // (kh, kw, 1, C·mult)
        { op: 'Reshape', inputs: ['dwt', 'filterShape'], outputs: ['y0'] }, // (kh, kw, C, mult)
      );
    } else {
      nodes.push(
        { op: 'Conv', inputs: [xc, 'dyt'], outputs: ['dwc'], attrs: conv }, // (Ci, Co, kh, kw)
        { op: 'Transpose', inputs: ['dwc'], outputs: ['y0'], attrs: { perm: [2, 3, 0, 1] } }, // (kh, kw, Ci, Co)
      );
    }
    return {
      inputs: [
        { name: 'x0', shape: x.shape },
        { name: 'x1', shape: dy.shape },
      ],
      outputs: [{ name: 'y0', shape: filterShape }],
      nodes,
      constants,
    };
  };
  return choosePath(
    key,
    () => runGraph(backend, key, build, [{ info: x }, { info: dy }], [filterShape])[0] as tf.TensorInfo,
    () => runLight(kernelName, args),
  );
}

function config(kernelName: string, depthwise: boolean): tf.KernelConfig {
  return nativeKernel(kernelName, (args) => backpropFilter(kernelName, depthwise, args), { light: true });
}

/** Conv2DBackpropFilter as one ONNX Conv (batch as channels) above the crossover. */
export const conv2DBackpropFilterConfig = config(tf.Conv2DBackpropFilter, false);
/** DepthwiseConv2dNativeBackpropFilter as one grouped ONNX Conv above the crossover. */
export const depthwiseConv2dNativeBackpropFilterConfig = config(tf.DepthwiseConv2dNativeBackpropFilter, true);

// Conv2DBackpropInput and DepthwiseConv2dNativeBackpropInput as one ONNX ConvTranspose.
//
// dy (N, OH, OW, Cout) → (N, Cout, OH, OW); the filter (kh, kw, Cin, Cout) → (Cout, Cin,
// kh, kw), ConvTranspose's (input channels, output channels / group, kh, kw); depthwise
// (kh, kw, C, mult) seen as (kh, kw, C·mult, 1) → (C·mult, 1, kh, kw) with group C. The
// forward conv's pads are passed as they are, and `output_padding` restores the rows and
// columns a strided forward conv never read: H − (s·(OH − 1) + (kh − 1)·d + 1 − top − bottom).
import { tf } from '@tensorloom/core';
import { runGraph } from '../internal/graph.js';
import { choosePath, type KernelArgs, nativeKernel, runLight, useOrt, wasmBackend } from '../internal/kernel.js';
import type { OnnxGraph } from '../internal/onnx.js';
import { convAttrs, ortAgrees } from './conv2d.js';

interface BackpropInputAttrs {
  inputShape: [number, number, number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function backpropInput(kernelName: string, depthwise: boolean, args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as BackpropInputAttrs;
  if ((attrs.dataFormat ?? 'NHWC') !== 'NHWC') return runLight(kernelName, args);
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
  const perOutput = 2 * info.filterHeight * info.filterWidth * (depthwise ? 1 : info.inChannels);
  if (!useOrt(perOutput * tf.util.sizeFromShape(info.outShape), dy, filter) || !ortAgrees(info)) return runLight(kernelName, args);

  const [kh, kw, cin, mult] = filter.shape as [number, number, number, number];
  const filterShape = depthwise ? [kh, kw, cin * mult, 1] : filter.shape;
  const conv = convAttrs(info);
  const p = info.padInfo;
  const effH = (kh - 1) * info.dilationHeight + 1;
  const effW = (kw - 1) * info.dilationWidth + 1;
  const outputPadding = [
    info.inHeight - (info.strideHeight * (info.outHeight - 1) + effH - p.top - p.bottom),
    info.inWidth - (info.strideWidth * (info.outWidth - 1) + effW - p.left - p.right),
  ];
  const inputShape = [...attrs.inputShape];
  const key = `${kernelName}|${dy.shape}|${filter.shape}|${inputShape}|${JSON.stringify(conv)}`;
  const build = (): OnnxGraph => ({
    inputs: [
      { name: 'x0', shape: dy.shape },
      { name: 'x1', shape: filterShape },
    ],
    outputs: [{ name: 'y0', shape: inputShape }],
    nodes: [
      { op: 'Transpose', inputs: ['x0'], outputs: ['dyc'], attrs: { perm: [0, 3, 1, 2] } }, // (N, Cout, OH, OW)
      { op: 'Transpose', inputs: ['x1'], outputs: ['wc'], attrs: { perm: depthwise ? [2, 3, 0, 1] : [3, 2, 0, 1] } }, // (Cout, Cin/group, kh, kw)
      {
        op: 'ConvTranspose',
        inputs: ['dyc', 'wc'],
        outputs: ['dxc'],
        attrs: { ...conv, output_padding: outputPadding, ...(depthwise ? { group: cin } : {}) },
      },
      { op: 'Transpose', inputs: ['dxc'], outputs: ['y0'], attrs: { perm: [0, 2, 3, 1] } }, // (N, H, W, Cin)
    ],
  });
  return choosePath(
    key,
    () => runGraph(backend, key, build, [{ info: dy }, { info: filter, shape: filterShape }], [inputShape])[0] as tf.TensorInfo,
    () => runLight(kernelName, args),
  );
}

function config(kernelName: string, depthwise: boolean): tf.KernelConfig {
  return nativeKernel(kernelName, (args) => backpropInput(kernelName, depthwise, args), { light: true });
}

/** Conv2DBackpropInput (also conv2dTranspose's forward) as an ONNX ConvTranspose above the crossover. */
export const conv2DBackpropInputConfig = config(tf.Conv2DBackpropInput, false);
/** DepthwiseConv2dNativeBackpropInput as a grouped ONNX ConvTranspose above the crossover. */
export const depthwiseConv2dNativeBackpropInputConfig = config(tf.DepthwiseConv2dNativeBackpropInput, true);

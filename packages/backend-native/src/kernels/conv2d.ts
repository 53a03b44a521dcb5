// Conv2D, FusedConv2D, DepthwiseConv2dNative and FusedDepthwiseConv2D on ONNX Runtime.
//
// The graph turns NHWC into ONNX's NCHW and back around one Conv (grouped by channel for
// the depthwise ones): x (N, H, W, C) → (N, C, H, W); the filter (kh, kw, Cin, Cout) →
// (Cout, Cin, kh, kw), or for depthwise (kh, kw, C, mult), seen as (kh, kw, C·mult, 1),
// → (C·mult, 1, kh, kw) with group C. TF's padding (more at the bottom and right for
// 'same') is passed as explicit pads. NCHW inputs and calls under the crossover go to the
// light backend's kernel.
import { tf } from '@tensorloom/core';
import { runGraph } from '../internal/graph.js';
import {
  activationNode,
  choosePath,
  finishActivation,
  inGraph,
  type KernelArgs,
  nativeKernel,
  runLight,
  useOrt,
  wasmBackend,
} from '../internal/kernel.js';
import type { OnnxNode } from '../internal/onnx.js';

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
  leakyreluAlpha?: number;
}

/** ONNX Conv attributes from tfjs's conv info. */
export function convAttrs(info: tf.backend_util.Conv2DInfo): Record<string, number[]> {
  const p = info.padInfo;
  return {
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    pads: [p.top, p.left, p.bottom, p.right],
    kernel_shape: [info.filterHeight, info.filterWidth],
  };
}

/**
 * Whether ONNX's output size formula gives tfjs's output shape. It does except where tfjs
 * 4.22 sizes both axes of a numeric `pad` with the filter height and stride height (a
 * non-square filter or stride with `pad: 1`); those calls stay on the light backend, which
 * computes what cpu computes.
 */
export function ortAgrees(info: tf.backend_util.Conv2DInfo): boolean {
  const p = info.padInfo;
  const size = (input: number, before: number, after: number, k: number, d: number, s: number) =>
    Math.floor((input + before + after - ((k - 1) * d + 1)) / s) + 1;
  return (
    size(info.inHeight, p.top, p.bottom, info.filterHeight, info.dilationHeight, info.strideHeight) === info.outHeight &&
    size(info.inWidth, p.left, p.right, info.filterWidth, info.dilationWidth, info.strideWidth) === info.outWidth
  );
}

function forward(kernelName: string, depthwise: boolean, args: KernelArgs): tf.TensorInfo {
  const backend = wasmBackend(args);
  const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined> as {
    x: tf.TensorInfo;
    filter: tf.TensorInfo;
    bias?: tf.TensorInfo;
    preluActivationWeights?: tf.TensorInfo;
  };
  const attrs = args.attrs as unknown as ConvAttrs;
  const dataFormat = attrs.dataFormat ?? 'NHWC';
  if (dataFormat !== 'NHWC' || x.shape.length !== 4) return runLight(kernelName, args);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
  const perOutput = 2 * info.filterHeight * info.filterWidth * (depthwise ? 1 : info.inChannels);
  const flops = perOutput * tf.util.sizeFromShape(info.outShape);
  if (!useOrt(flops, x, filter, bias, preluActivationWeights) || !ortAgrees(info)) return runLight(kernelName, args);

  const activation = attrs.activation ?? 'linear';
  const alpha = attrs.leakyreluAlpha ?? 0.2;
  const [kh, kw, cin, mult] = filter.shape as [number, number, number, number];
  const filterShape = depthwise ? [kh, kw, cin * mult, 1] : filter.shape;
  const key = `${kernelName}|${x.shape}|${filter.shape}|${JSON.stringify(convAttrs(info))}|${bias?.shape ?? '-'}|${activation}|${alpha}`;
  const build = () => {
    const conv = convAttrs(info);
    const nodes: OnnxNode[] = [
      { op: 'Transpose', inputs: ['x0'], outputs: ['xc'], attrs: { perm: [0, 3, 1, 2] } }, // (N, C, H, W)
      { op: 'Transpose', inputs: ['x1'], outputs: ['wc'], attrs: { perm: depthwise ? [2, 3, 0, 1] : [3, 2, 0, 1] } }, // (Cout, Cin/group, kh, kw)
      { op: 'Conv', inputs: ['xc', 'wc'], outputs: ['yc'], attrs: depthwise ? { ...conv, group: cin } : conv },
      { op: 'Transpose', inputs: ['yc'], outputs: ['t'], attrs: { perm: [0, 2, 3, 1] } }, // (N, OH, OW, Cout)
    ];
    let last = 't';
    if (bias !== undefined) {
      nodes.push({ op: 'Add', inputs: [last, 'x2'], outputs: ['b'] });
      last = 'b';
    }
    nodes.push(activationNode(activation, last, 'y0', alpha) ?? { op: 'Identity', inputs: [last], outputs: ['y0'] });
    const inputs = [
      { name: 'x0', shape: x.shape },
      { name: 'x1', shape: filterShape },
    ];
    if (bias !== undefined) inputs.push({ name: 'x2', shape: bias.shape });
    return { inputs, outputs: [{ name: 'y0', shape: info.outShape }], nodes };
  };
  const feeds = [{ info: x }, { info: filter, shape: filterShape }];
  if (bias !== undefined) feeds.push({ info: bias, shape: bias.shape });
  return choosePath(
    key,
    () => {
      const [out] = runGraph(backend, key, build, feeds, [info.outShape]);
      return inGraph(activation) ? (out as tf.TensorInfo) : finishActivation(backend, out as tf.TensorInfo, activation, preluActivationWeights);
    },
    () => runLight(kernelName, args),
  );
}

function config(kernelName: string, depthwise: boolean): tf.KernelConfig {
  return nativeKernel(kernelName, (args) => forward(kernelName, depthwise, args), { light: true });
}

/** Conv2D on ONNX Runtime above the crossover (NHWC), the wasm kernel otherwise. */
export const conv2DConfig = config(tf.Conv2D, false);
/** FusedConv2D (conv, bias, activation) on ONNX Runtime above the crossover. */
export const fusedConv2DConfig = config(tf.FusedConv2D, false);
/** DepthwiseConv2dNative as a grouped ONNX Conv above the crossover. */
export const depthwiseConv2dNativeConfig = config(tf.DepthwiseConv2dNative, true);
/** FusedDepthwiseConv2D (depthwise conv, bias, activation) on ONNX Runtime above the crossover. */
export const fusedDepthwiseConv2DConfig = config(tf.FusedDepthwiseConv2D, true);

// How each layer of @tensorloom/layers becomes ONNX nodes. Tensors stay in our layout
// (NHWC, batch-major sequences); convolutions and pools transpose to NCHW around the ONNX op
// (ONNX Runtime's optimizer removes back-to-back transposes).
import { ConfigError, formatShape, tf } from '@tensorloom/core';
import {
  Activation, AlphaDropout, Bidirectional, GroupNorm, AvgPool1D, AvgPool2D, BatchNorm, Conv1D, Conv2D, Conv2DTranspose, Cropping2D,
  DepthwiseConv2D, Dense, Dropout, Embedding, Flatten, GaussianDropout, GaussianNoise, GlobalAvgPool1D, GlobalAvgPool2D,
  GlobalMaxPool1D, GlobalMaxPool2D, GRU, Identity, LayerNorm, LSTM, MaxPool1D, MaxPool2D, Permute,
  PositionalEmbedding, Reshape, SeparableConv2D, Sequential, SimpleRNN, SinusoidalPositionalEncoding, SpatialDropout1D,
  SpatialDropout2D, TimeDistributed, TransformerEncoderLayer, UpSampling2D, ZeroPadding2D, sinusoidalPositionalEncoding,
  Add, Multiply, Concatenate, MultiAxisDense, MultiHeadAttention, TransformerDecoderLayer,
} from '@tensorloom/layers';
import type { Shape } from '@tensorloom/layers';
import { attr } from './graph.js';
import { emitAttention, emitDecoderLayer, emitEncoderLayer } from './attention.js';
import { modelConverter } from './models.js';
import { addTimeTable, applyMask, emitActivation, maskFromIds, reduce, single, unsupported, values } from './emit.js';
import { emitMaskedScan, emitRecurrent, recurrentParts, stackSteps, unrolledSteps } from './recurrent.js';
import type { AnyModule, ConvertContext, OnnxInput, OnnxValue } from './emit.js';
import type { GraphBuilder } from './graph.js';

type Converter<M> = (layer: M, x: OnnxValue, ctx: ConvertContext) => OnnxValue;

const toChannelsFirst = (g: GraphBuilder, x: string, rank: number): string =>
  g.op('Transpose', [x], { perm: attr.ints(rank === 3 ? [0, 2, 1] : [0, 3, 1, 2]) });
const toChannelsLast = (g: GraphBuilder, x: string, rank: number): string =>
  g.op('Transpose', [x], { perm: attr.ints(rank === 3 ? [0, 2, 1] : [0, 2, 3, 1]) });

/**
 * ONNX `pads` ([begins..., ends...]) for tfjs 'same'/'valid' padding, or `null` when a spatial
 * size is unknown and SAME_UPPER (tfjs's rule: the extra pixel at the end) must be left to the runtime.
 */
function convPads(
  padding: string, spatial: readonly (number | null)[], kernel: readonly number[], strides: readonly number[], dilations: readonly number[],
): number[] | null {
  if (padding === 'valid') return [...spatial.map(() => 0), ...spatial.map(() => 0)];
  if (spatial.some((d) => d === null)) return null;
  const begins: number[] = [];
  const ends: number[] = [];
  spatial.forEach((size, i) => {
    const out = Math.ceil(size! / strides[i]!);
    const total = Math.max((out - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - size!, 0);
    begins.push(Math.floor(total / 2));
    ends.push(total - Math.floor(total / 2));
  });
  return [...begins, ...ends];
}

function padAttrs(pads: number[] | null): Record<string, ReturnType<typeof attr.int>> {
  return pads === null ? { auto_pad: attr.string('SAME_UPPER') } : { pads: attr.ints(pads) };
}

function addBias(g: GraphBuilder, y: string, bias: tf.Variable | null, dims: readonly number[], base: string): string {
  if (bias === null) return y;
  return g.op('Add', [y, g.constant(`${base}.bias`, values(() => bias.clone()), dims)]);
}

const dense: Converter<Dense> = (layer, x, { g, path }) => {
  const k = layer.kernel!;
  const y = g.op('MatMul', [x.name, g.constant(`${path}.kernel`, values(() => k.clone()), k.shape)]);
  const z = addBias(g, y, layer.bias, [layer.config.units], path);
  return { name: emitActivation(g, z, layer.config.activation, { g, path }, layer), shape: x.shape.length === 0 ? [] : layer.outputShape(x.shape) };
};

/** MultiAxisDense: the last `inputAxes` axes flattened, one MatMul with the `[in, out]` view of the kernel, the output axes unflattened. */
const multiAxisDense: Converter<MultiAxisDense> = (layer, x, { g, path }) => {
  const k = layer.kernel!;
  const axes = layer.config.inputAxes;
  const inSize = k.shape.slice(0, axes).reduce((a, b) => a * b, 1);
  const outSizes = k.shape.slice(axes);
  const outSize = outSizes.reduce((a, b) => a * b, 1);
  const lead = x.shape.length - axes;
  const keep = Array.from({ length: lead }, () => 0); // Reshape's 0 copies the input's size
  const flat = g.op('Reshape', [x.name, g.int64('shape', [...keep, inSize])]);
  const y = g.op('MatMul', [flat, g.constant(`${path}.kernel`, values(() => tf.reshape(k, [inSize, outSize])), [inSize, outSize])]);
  const z = g.op('Reshape', [y, g.int64('shape', [...keep, ...outSizes])]);
  return { name: addBias(g, z, layer.bias, outSizes, path), shape: layer.outputShape(x.shape) };
};

/** Conv1D / Conv2D: kernel `[k..., in, out]` → ONNX `[out, in, k...]`. */
function conv(layer: Conv1D | Conv2D, x: OnnxValue, ctx: ConvertContext): OnnxValue {
  const { g, path } = ctx;
  const c = layer.config;
  const rank = x.shape.length;
  const oneD = layer instanceof Conv1D;
  const kernelSize = oneD ? [(c as Conv1D['config']).kernelSize] : (c as Conv2D['config']).kernelSize;
  const strides = oneD ? [(c as Conv1D['config']).strides] : (c as Conv2D['config']).strides;
  const dilations = oneD ? [(c as Conv1D['config']).dilationRate] : (c as Conv2D['config']).dilationRate;
  const k = layer.kernel!;
  const perm = oneD ? [2, 1, 0] : [3, 2, 0, 1];
  const w = g.constant(`${path}.kernel`, values(() => tf.transpose(k, perm)), perm.map((p) => k.shape[p]!));
  let input = toChannelsFirst(g, x.name, rank);
  let pads: number[] | null;
  const padding = c.padding as string;
  if (padding === 'causal') {
    // Causal: pad (k - 1)·d steps at the start only.
    input = g.op('Pad', [input, g.int64('pads', [0, 0, (kernelSize[0]! - 1) * dilations[0]!, 0, 0, 0])]);
    pads = [0, 0];
  } else {
    pads = convPads(padding, x.shape.slice(1, -1), kernelSize, strides, dilations);
  }
  const y = g.op('Conv', [input, w], {
    kernel_shape: attr.ints(kernelSize), strides: attr.ints(strides), dilations: attr.ints(dilations), ...padAttrs(pads),
  });
  const nhwc = toChannelsLast(g, y, rank);
  const z = addBias(g, nhwc, layer.bias, [c.filters], path);
  return { name: emitActivation(g, z, c.activation, ctx, layer), shape: layer.outputShape(x.shape) };
}

/** The grouped Conv of a depthwise kernel `[kh, kw, c, m]` (ONNX `[c·m, 1, kh, kw]`, group c), in NCHW. */
function depthwise(
  g: GraphBuilder, input: string, kernel: tf.Variable, c: DepthwiseConv2D['config'], spatial: readonly (number | null)[], path: string,
): string {
  const [kh, kw, channels, m] = kernel.shape as [number, number, number, number];
  const w = g.constant(`${path}.depthwiseKernel`, values(() => tf.reshape(tf.transpose(kernel, [2, 3, 0, 1]), [channels * m, 1, kh, kw])), [channels * m, 1, kh, kw]);
  const pads = convPads(c.padding, spatial, c.kernelSize, c.strides, c.dilationRate);
  return g.op('Conv', [input, w], {
    group: attr.int(channels), kernel_shape: attr.ints(c.kernelSize), strides: attr.ints(c.strides), dilations: attr.ints(c.dilationRate), ...padAttrs(pads),
  });
}

const depthwiseConv: Converter<DepthwiseConv2D> = (layer, x, ctx) => {
  const { g, path } = ctx;
  const y = depthwise(g, toChannelsFirst(g, x.name, 4), layer.depthwiseKernel!, layer.config, x.shape.slice(1, 3), path);
  const z = addBias(g, toChannelsLast(g, y, 4), layer.bias, [layer.bias?.shape[0] ?? 0], path);
  return { name: emitActivation(g, z, layer.config.activation, ctx, layer), shape: layer.outputShape(x.shape) };
};

const separableConv: Converter<SeparableConv2D> = (layer, x, ctx) => {
  const { g, path } = ctx;
  const d = depthwise(g, toChannelsFirst(g, x.name, 4), layer.depthwiseKernel!, layer.config as unknown as DepthwiseConv2D['config'], x.shape.slice(1, 3), path);
  const p = layer.pointwiseKernel!;
  const [, , mid, filters] = p.shape as [number, number, number, number];
  const w = g.constant(`${path}.pointwiseKernel`, values(() => tf.transpose(p, [3, 2, 0, 1])), [filters, mid, 1, 1]);
  const y = g.op('Conv', [d, w], { kernel_shape: attr.ints([1, 1]) });
  const z = addBias(g, toChannelsLast(g, y, 4), layer.bias, [filters], path);
  return { name: emitActivation(g, z, layer.config.activation, ctx, layer), shape: layer.outputShape(x.shape) };
};

const convTranspose: Converter<Conv2DTranspose> = (layer, x, ctx) => {
  const { g, path } = ctx;
  const c = layer.config;
  const out = layer.outputShape(x.shape);
  // The pads follow from out - s·in, which does not depend on the input size (out is s·in plus
  // a constant): an unknown size is computed as a stand-in size 2.
  const spatial = x.shape.slice(1, 3).map((d) => d ?? 2);
  const standIn = layer.outputShape([null, spatial[0]!, spatial[1]!, x.shape[3] ?? null]);
  const k = layer.kernel!; // [kh, kw, filters, in] → ONNX [in, filters, kh, kw]
  const w = g.constant(`${path}.kernel`, values(() => tf.transpose(k, [3, 2, 0, 1])), [k.shape[3]!, k.shape[2]!, k.shape[0]!, k.shape[1]!]);
  // out = s·(in - 1) + k + outputPadding - padBegin - padEnd, with padBegin from tfjs's rule.
  const begins: number[] = [];
  const ends: number[] = [];
  const outputPadding: number[] = [];
  for (let i = 0; i < 2; i++) {
    const size = spatial[i] as number;
    const o = standIn[i + 1] as number;
    const full = c.strides[i]! * (size - 1) + c.kernelSize[i]!;
    const total = c.padding === 'same' ? Math.max((Math.ceil(o / c.strides[i]!) - 1) * c.strides[i]! + c.kernelSize[i]! - o, 0) : 0;
    const begin = Math.floor(total / 2);
    const end = full - begin - o;
    begins.push(begin);
    ends.push(Math.max(end, 0));
    outputPadding.push(Math.max(-end, 0));
  }
  const y = g.op('ConvTranspose', [toChannelsFirst(g, x.name, 4), w], {
    kernel_shape: attr.ints(c.kernelSize), strides: attr.ints(c.strides), pads: attr.ints([...begins, ...ends]), output_padding: attr.ints(outputPadding),
  });
  const z = addBias(g, toChannelsLast(g, y, 4), layer.bias, [c.filters], path);
  return { name: emitActivation(g, z, c.activation, ctx, layer), shape: out };
};

function pool(layer: MaxPool1D | AvgPool1D | MaxPool2D | AvgPool2D, x: OnnxValue, ctx: ConvertContext): OnnxValue {
  const { g } = ctx;
  const oneD = layer instanceof MaxPool1D || layer instanceof AvgPool1D;
  const c = layer.config;
  const size = oneD ? [c.poolSize as number] : (c.poolSize as [number, number]);
  const strides = oneD ? [c.strides as number] : (c.strides as [number, number]);
  const rank = x.shape.length;
  const pads = convPads(c.padding, x.shape.slice(1, -1), size, strides, size.map(() => 1));
  const max = layer instanceof MaxPool1D || layer instanceof MaxPool2D;
  // tfjs's average pool leaves the padding out of the count, as ONNX's count_include_pad = 0.
  const y = g.op(max ? 'MaxPool' : 'AveragePool', [toChannelsFirst(g, x.name, rank)], {
    kernel_shape: attr.ints(size), strides: attr.ints(strides), ...padAttrs(pads),
  });
  return { name: toChannelsLast(g, y, rank), shape: layer.outputShape(x.shape) };
}

function globalPool(layer: GlobalAvgPool1D | GlobalMaxPool1D | GlobalAvgPool2D | GlobalMaxPool2D, x: OnnxValue, ctx: ConvertContext): OnnxValue {
  const { g } = ctx;
  const rank = x.shape.length;
  const max = layer instanceof GlobalMaxPool1D || layer instanceof GlobalMaxPool2D;
  if (x.mask && rank === 3) {
    // Padded steps left out: the mean over the real steps (0 for none), the max over them (0 for none).
    const valid = g.op('Unsqueeze', [x.mask, g.int64('axes', [2])]); // (B, T, 1)
    const count = reduce(g, 'ReduceSum', valid, [1], true); // (B, 1, 1)
    let y: string;
    if (max) {
      const masked = g.op('Where', [g.op('Cast', [valid], { to: attr.int(9) }), x.name, g.constant('minus_inf', [-Infinity], [])]);
      const m = reduce(g, 'ReduceMax', masked, [1], true);
      y = g.op('Where', [g.op('Greater', [count, g.constant('zero', [0], [])]), m, g.constant('zero', [0], [])]);
    } else {
      y = g.op('Div', [reduce(g, 'ReduceSum', g.op('Mul', [x.name, valid]), [1], true), g.op('Max', [count, g.constant('one', [1], [])])]);
    }
    return { name: layer.keepDims ? y : g.op('Squeeze', [y, g.int64('axes', [1])]), shape: layer.outputShape(x.shape), mask: null };
  }
  const y = g.op(max ? 'GlobalMaxPool' : 'GlobalAveragePool', [toChannelsFirst(g, x.name, rank)]); // (B, C, 1[, 1])
  const name = layer.keepDims ? toChannelsLast(g, y, rank) : g.op('Flatten', [y], { axis: attr.int(1) });
  return { name, shape: layer.outputShape(x.shape) };
}

const batchNorm: Converter<BatchNorm> = (layer, x, ctx) => {
  const { g, path } = ctx;
  const rank = x.shape.length;
  const axis = layer.config.axis < 0 ? rank + layer.config.axis : layer.config.axis;
  const n = x.shape[axis] as number;
  // Folded: y = x·a + b with a = γ/√(var + ε), b = β - mean·a, computed in float64.
  const mean = layer.movingMean!.dataSync();
  const variance = layer.movingVariance!.dataSync();
  const gamma = layer.gamma?.dataSync() ?? null;
  const beta = layer.beta?.dataSync() ?? null;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = (gamma === null ? 1 : gamma[i]!) / Math.sqrt(variance[i]! + layer.config.epsilon);
    b[i] = (beta === null ? 0 : beta[i]!) - mean[i]! * a[i]!;
  }
  const dims = x.shape.map((_, i) => (i === axis ? n : 1)).slice(1); // broadcast over every other axis
  const y = g.op('Add', [g.op('Mul', [x.name, g.constant(`${path}.scale`, a, dims)]), g.constant(`${path}.shift`, b, dims)]);
  return { name: y, shape: x.shape };
};

const layerNorm: Converter<LayerNorm> = (layer, x, ctx) => {
  const { g, path } = ctx;
  const rank = x.shape.length;
  const axes = [...layer.axes].sort((p, q) => p - q);
  const shape = axes.map((a) => x.shape[a] as number);
  if (axes.some((a, i) => a !== rank - axes.length + i)) {
    // Not the trailing axes: the moments over them, then γ and β shaped to broadcast, as the layer does.
    const { g } = ctx;
    const centred = g.op('Sub', [x.name, reduce(g, 'ReduceMean', x.name, axes, true)]);
    const variance = reduce(g, 'ReduceMean', g.op('Mul', [centred, centred]), axes, true);
    let y = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, g.constant('epsilon', [layer.config.epsilon], [])])])]);
    const dims = x.shape.map((d, i) => (axes.includes(i) ? (d as number) : 1));
    if (layer.gamma !== null) y = g.op('Mul', [y, g.constant(`${path}.gamma`, values(() => layer.gamma!.clone()), dims)]);
    if (layer.beta !== null) y = g.op('Add', [y, g.constant(`${path}.beta`, values(() => layer.beta!.clone()), dims)]);
    return { name: y, shape: x.shape };
  }
  const size = shape.reduce((p, q) => p * q, 1);
  const gamma = layer.gamma === null ? new Float32Array(size).fill(1) : values(() => layer.gamma!.clone());
  const inputs = [x.name, g.constant(`${path}.gamma`, gamma, shape)];
  if (layer.beta !== null) inputs.push(g.constant(`${path}.beta`, values(() => layer.beta!.clone()), shape));
  const y = g.op('LayerNormalization', inputs, { axis: attr.int(axes[0]!), epsilon: attr.float(layer.config.epsilon) });
  return { name: y, shape: x.shape };
};

/** GroupNorm (and InstanceNorm, one channel a group): moments over the spatial axes and each group's channels. */
const groupNorm: Converter<GroupNorm> = (layer, x, ctx) => {
  const { g, path } = ctx;
  const channels = x.shape[x.shape.length - 1] as number;
  const groups = layer.config.groups ?? channels;
  const mean = (v: string): string =>
    g.opset >= 18
      ? g.op('ReduceMean', [v, g.int64('axes', [1, 3])], { keepdims: attr.int(1) })
      : g.op('ReduceMean', [v], { axes: attr.ints([1, 3]), keepdims: attr.int(1) });
  const grouped = g.op('Reshape', [x.name, g.int64('shape', [0, -1, groups, channels / groups])]); // (B, S, G, C/G)
  const centred = g.op('Sub', [grouped, mean(grouped)]);
  const variance = mean(g.op('Mul', [centred, centred]));
  const normed = g.op('Div', [centred, g.op('Sqrt', [g.op('Add', [variance, g.constant('epsilon', [layer.config.epsilon], [])])])]);
  let y = g.op('Reshape', [normed, g.op('Shape', [x.name])]); // back to (B, ..., C)
  if (layer.gamma !== null) y = g.op('Mul', [y, g.constant(`${path}.gamma`, values(() => layer.gamma!.clone()), [channels])]);
  if (layer.beta !== null) y = g.op('Add', [y, g.constant(`${path}.beta`, values(() => layer.beta!.clone()), [channels])]);
  return { name: y, shape: x.shape };
};

/** The number of steps to unroll a masked recurrence for, or `null` for an ONNX Loop (see unrolledSteps). */
const stepsOf = (x: OnnxValue): number | null => unrolledSteps(x.shape[1]);

/** Reverses `[B, T, H]` along time. */
const reverseTime = (g: GraphBuilder, x: string): string =>
  g.op('Slice', [x, g.int64('starts', [-1]), g.int64('ends', [-(2 ** 53)]), g.int64('axes', [1]), g.int64('steps', [-1])]);

/** `[1, B, H]` (or `[D, B, H]` at direction `i`) → `[B, H]`. */
const stateOf = (g: GraphBuilder, s: string, i = 0): string => g.op('Gather', [s, g.int64('index', [i], [])], { axis: attr.int(0) });

/** The layer's value with its states as further outputs (`returnState`): `[output, h(, c)]`, each state `[B, H]`. */
function withStates(out: OnnxValue, states: readonly (string | null)[], units: number): OnnxValue {
  const rest = states.filter((s): s is string => s !== null).map((name) => ({ name, shape: [out.shape[0] ?? null, units] as Shape }));
  return rest.length === 0 ? out : { ...out, rest };
}

function recurrent(layer: LSTM | GRU | SimpleRNN, x: OnnxValue, ctx: ConvertContext): OnnxValue {
  const { g, path } = ctx;
  const c = layer.config;
  const shape = (c.returnState ? (layer.outputShape(x.shape) as unknown as Shape[])[0] : layer.outputShape(x.shape)) as Shape;
  // The sequence comes out in input order; Keras' goBackwards returns it in the order the
  // steps were taken (reversed time), so it is reversed back.
  const order = (seq: string): string => (c.goBackwards ? reverseTime(g, seq) : seq);
  const parts = recurrentParts(layer, ctx, true);
  let out: string;
  let h: string;
  let cell: string | null;
  if (x.mask) {
    const scan = emitMaskedScan(g, x.name, x.mask, parts, c.units, x.shape[2] as number, stepsOf(x), c.goBackwards, path);
    [h, cell] = [stateOf(g, scan.h), scan.c === null ? null : stateOf(g, scan.c)];
    out = c.returnSequences ? order(stackSteps(g, scan)) : h;
  } else {
    const [y, yh, yc] = emitRecurrent(g, x.name, [parts], c.units, x.shape[2] as number, c.goBackwards ? 'reverse' : 'forward', path);
    [h, cell] = [stateOf(g, yh), yc === null ? null : stateOf(g, yc)];
    out = c.returnSequences
      ? order(g.op('Transpose', [g.op('Squeeze', [y, g.int64('axes', [1])])], { perm: attr.ints([1, 0, 2]) })) // (T, 1, B, H) → (B, T, H)
      : h;
  }
  return withStates({ name: out, shape }, c.returnState ? [h, cell] : [], c.units);
}

/**
 * Bidirectional: one ONNX op in `bidirectional` direction (or, with a padding mask, each
 * direction unrolled or looped), the two outputs merged as the layer does; with
 * `mergeMode: 'none'` both outputs, and with `returnState` the forward then backward states,
 * as further graph outputs.
 */
const bidirectional: Converter<Bidirectional> = (layer, x, ctx) => {
  const { g, path } = ctx;
  const f = layer.forwardLayer;
  const b = layer.backwardLayer;
  if (f.config.goBackwards || !b.config.goBackwards || f.constructor !== b.constructor || f.config.units !== b.config.units) {
    unsupported(ctx, layer, 'needs a forward and a goBackwards layer of one class and width');
  }
  const mode = layer.mergeMode as string;
  const units = f.config.units;
  const seq = f.config.returnSequences;
  const parts = [recurrentParts(f as unknown as LSTM, ctx, true), recurrentParts(b as unknown as LSTM, ctx, true)];
  let fw: string; // (B, T, H) or (B, H); the backward sequence aligned with the input, as the layer does
  let bw: string;
  let states: (string | null)[]; // hF, cF, hB, cB
  if (x.mask) {
    const steps = stepsOf(x);
    const features = x.shape[2] as number;
    const a = emitMaskedScan(g, x.name, x.mask, parts[0]!, units, features, steps, false, `${path}.forward`);
    const z = emitMaskedScan(g, x.name, x.mask, parts[1]!, units, features, steps, true, `${path}.backward`);
    states = [stateOf(g, a.h), a.c === null ? null : stateOf(g, a.c), stateOf(g, z.h), z.c === null ? null : stateOf(g, z.c)];
    [fw, bw] = seq ? [stackSteps(g, a), stackSteps(g, z)] : [states[0]!, states[2]!];
  } else {
    const [y, yh, yc] = emitRecurrent(g, x.name, parts, units, x.shape[2] as number, 'bidirectional', path);
    states = [stateOf(g, yh, 0), yc === null ? null : stateOf(g, yc, 0), stateOf(g, yh, 1), yc === null ? null : stateOf(g, yc, 1)];
    if (seq) {
      // (T, 2, B, H): direction i → (B, T, H).
      const direction = (i: number): string => g.op('Transpose', [g.op('Gather', [y, g.int64('index', [i], [])], { axis: attr.int(1) })], { perm: attr.ints([1, 0, 2]) });
      [fw, bw] = [direction(0), direction(1)];
    } else {
      [fw, bw] = [states[0]!, states[2]!];
    }
  }
  const shapes = layer.outputShape(x.shape) as unknown as Shape | Shape[];
  const list = f.config.returnState || mode === 'none' ? (shapes as Shape[]) : [shapes as Shape];
  let outputs: string[];
  if (mode === 'none') outputs = [fw, bw];
  else if (mode === 'concat') outputs = [g.op('Concat', [fw, bw], { axis: attr.int(-1) })];
  else {
    let merged = mode === 'mul' ? g.op('Mul', [fw, bw]) : g.op('Add', [fw, bw]);
    if (mode === 'ave') merged = g.op('Mul', [merged, g.constant('half', [0.5], [])]);
    outputs = [merged];
  }
  if (f.config.returnState) outputs.push(...states.filter((s): s is string => s !== null));
  const values = outputs.map((name, i) => ({ name, shape: list[i]! }));
  return values.length === 1 ? values[0]! : { ...values[0]!, rest: values.slice(1) };
};

const embedding: Converter<Embedding> = (layer, x, { g, path }) => {
  const e = layer.embeddings!;
  const y = g.op('Gather', [g.constant(`${path}.embeddings`, values(() => e.clone()), e.shape), x.name], { axis: attr.int(0) });
  // With a pad id, the mask `ids != padId` goes to the next layers, as computeMask does.
  const padId = layer.config.padId;
  return { name: y, shape: layer.outputShape(x.shape), mask: padId === null ? (x.mask ?? null) : maskFromIds(g, x.name, padId) };
};

function timeTable(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, table: (t: number, d: number) => Float32Array, maxRows: number | null): OnnxValue {
  const y = addTimeTable(ctx.g, x.name, x.shape, ctx.path, table, maxRows);
  if (y === null) {
    unsupported(ctx, layer, `needs a known width${maxRows === null ? ' and sequence length (or the export option maxSequenceLength for a dynamic one)' : ''}, got input ${formatShape(x.shape)}`);
  }
  return { name: y, shape: x.shape };
}

/** The named inputs of a multi-input layer (`required`, then `optional`), or the error naming what is missing. */
function record(ctx: ConvertContext, layer: AnyModule, x: OnnxInput, required: readonly string[], optional: readonly string[] = []): Record<string, OnnxValue | undefined> {
  const r = x as Record<string, OnnxValue>;
  if (Array.isArray(x) || typeof (x as OnnxValue).name === 'string' || required.some((k) => r[k] === undefined)) {
    const got = Array.isArray(x) ? `a list of ${x.length}` : typeof (x as OnnxValue).name === 'string' ? 'one input' : `the inputs ${Object.keys(x).join(', ')}`;
    unsupported(ctx, layer, `expected the inputs ${[...required, ...optional.map((k) => `${k}?`)].join(', ')}, got ${got}`);
  }
  const extra = Object.keys(r).filter((k) => !required.includes(k) && !optional.includes(k));
  if (extra.length > 0) unsupported(ctx, layer, `expected the inputs ${[...required, ...optional.map((k) => `${k}?`)].join(', ')}, got also ${extra.join(', ')}`);
  return r;
}

/** The inputs of a merge: a list of at least two values. */
function list(ctx: ConvertContext, layer: AnyModule, x: OnnxInput): readonly OnnxValue[] {
  if (!Array.isArray(x) || x.length < 2) unsupported(ctx, layer, `expected a list of at least 2 inputs, got ${Array.isArray(x) ? `${x.length}` : 'something else'}`);
  return x;
}

/** Add and Multiply: one binary node after another (numpy broadcasting, like the layer). */
function merge(layer: Add | Multiply, x: OnnxInput, ctx: ConvertContext): OnnxValue {
  const xs = list(ctx, layer, x);
  const op = layer instanceof Multiply ? 'Mul' : 'Add';
  const name = xs.slice(1).reduce((acc, v) => ctx.g.op(op, [acc, v.name]), xs[0]!.name);
  return { name, shape: layer.outputShape(xs.map((v) => v.shape)) };
}

const CONVERTERS: [abstract new (...args: never[]) => AnyModule, Converter<never>][] = [
  [Sequential, ((layer: Sequential, x: OnnxValue, ctx: ConvertContext) => {
    let v = x;
    for (const [key, child] of layer.namedChildren()) v = convertLayer(child, v, { g: ctx.g, path: ctx.path === '' ? key : `${ctx.path}.${key}` });
    return v;
  }) as Converter<never>],
  [Dense, dense as Converter<never>],
  [MultiAxisDense, multiAxisDense as Converter<never>],
  [Conv1D, conv as Converter<never>],
  [Conv2D, conv as Converter<never>],
  [DepthwiseConv2D, depthwiseConv as Converter<never>],
  [SeparableConv2D, separableConv as Converter<never>],
  [Conv2DTranspose, convTranspose as Converter<never>],
  [MaxPool1D, pool as Converter<never>],
  [AvgPool1D, pool as Converter<never>],
  [MaxPool2D, pool as Converter<never>],
  [AvgPool2D, pool as Converter<never>],
  [GlobalAvgPool1D, globalPool as Converter<never>],
  [GlobalMaxPool1D, globalPool as Converter<never>],
  [GlobalAvgPool2D, globalPool as Converter<never>],
  [GlobalMaxPool2D, globalPool as Converter<never>],
  [BatchNorm, batchNorm as Converter<never>],
  [LayerNorm, layerNorm as Converter<never>],
  [GroupNorm, groupNorm as Converter<never>],
  [LSTM, recurrent as Converter<never>],
  [Bidirectional, bidirectional as Converter<never>],
  [GRU, recurrent as Converter<never>],
  [SimpleRNN, recurrent as Converter<never>],
  [Embedding, embedding as Converter<never>],
  [Activation, ((layer: Activation, x: OnnxValue, ctx: ConvertContext) => ({ name: emitActivation(ctx.g, x.name, layer.fn, ctx, layer), shape: x.shape })) as Converter<never>],
  // Inference leaves these out: they only act in training.
  ...[Dropout, SpatialDropout1D, SpatialDropout2D, GaussianNoise, GaussianDropout, AlphaDropout, Identity].map(
    (cls) => [cls, ((_: AnyModule, x: OnnxValue) => x) as Converter<never>] as [abstract new (...args: never[]) => AnyModule, Converter<never>],
  ),
  [Flatten, ((layer: Flatten, x: OnnxValue, { g }: ConvertContext) => ({ name: g.op('Flatten', [x.name], { axis: attr.int(1) }), shape: layer.outputShape(x.shape) })) as Converter<never>],
  [Reshape, ((layer: Reshape, x: OnnxValue, { g }: ConvertContext) => ({
    name: g.op('Reshape', [x.name, g.int64('shape', [0, ...layer.targetShape])]), // 0 keeps the batch size
    shape: layer.outputShape(x.shape),
  })) as Converter<never>],
  [Permute, ((layer: Permute, x: OnnxValue, { g }: ConvertContext) => ({
    name: g.op('Transpose', [x.name], { perm: attr.ints([0, ...layer.dims]) }),
    shape: layer.outputShape(x.shape),
  })) as Converter<never>],
  [ZeroPadding2D, ((layer: ZeroPadding2D, x: OnnxValue, { g }: ConvertContext) => {
    const [[t, b], [l, r]] = layer.padding;
    return { name: g.op('Pad', [x.name, g.int64('pads', [0, t, l, 0, 0, b, r, 0])]), shape: layer.outputShape(x.shape) };
  }) as Converter<never>],
  [Cropping2D, ((layer: Cropping2D, x: OnnxValue, { g }: ConvertContext) => {
    const [[t, b], [l, r]] = layer.cropping;
    const big = 2 ** 31 - 1;
    const y = g.op('Slice', [x.name, g.int64('starts', [t, l]), g.int64('ends', [b > 0 ? -b : big, r > 0 ? -r : big]), g.int64('axes', [1, 2])]);
    return { name: y, shape: layer.outputShape(x.shape) };
  }) as Converter<never>],
  [UpSampling2D, ((layer: UpSampling2D, x: OnnxValue, ctx: ConvertContext) => {
    const { g } = ctx;
    const c = layer.config;
    const [sh, sw] = c.size;
    const nearest = c.interpolation === 'nearest';
    const y = g.op('Resize', [toChannelsFirst(g, x.name, 4), '', g.constant('scales', [1, 1, sh, sw], [4])], {
      mode: attr.string(nearest ? 'nearest' : 'linear'),
      coordinate_transformation_mode: attr.string(!nearest && c.halfPixelCenters ? 'half_pixel' : 'asymmetric'),
      ...(nearest ? { nearest_mode: attr.string('floor') } : {}),
    });
    return { name: toChannelsLast(g, y, 4), shape: layer.outputShape(x.shape) };
  }) as Converter<never>],
  [TransformerEncoderLayer, ((layer: TransformerEncoderLayer, x: OnnxValue, ctx: ConvertContext) => {
    const ffn = (v: string, which: 'ffn1' | 'ffn2'): string => {
      const d = which === 'ffn1' ? layer.ffn1! : layer.ffn2!;
      const y = dense(d, { name: v, shape: [] }, { g: ctx.g, path: `${ctx.path}.${which}` }).name;
      return which === 'ffn1' ? emitActivation(ctx.g, y, layer.config.activation, ctx, layer) : y;
    };
    const mask = x.mask ?? applyMask(ctx, 'mask');
    return { name: emitEncoderLayer(ctx.g, x.name, layer, ctx.path, ffn, mask), shape: x.shape, mask };
  }) as Converter<never>],
  [TransformerDecoderLayer, ((layer: TransformerDecoderLayer, x: OnnxInput, ctx: ConvertContext) => {
    const { target, memory } = record(ctx, layer, x, ['target', 'memory']);
    const ffn = (v: string, which: 'ffn1' | 'ffn2'): string => {
      const d = which === 'ffn1' ? layer.ffn1! : layer.ffn2!;
      const y = dense(d, { name: v, shape: [] }, { g: ctx.g, path: `${ctx.path}.${which}` }).name;
      return which === 'ffn1' ? emitActivation(ctx.g, y, layer.config.activation, ctx, layer) : y;
    };
    const targetMask = target!.mask ?? applyMask(ctx, 'mask');
    const memoryMask = memory!.mask ?? applyMask(ctx, 'memoryMask');
    return { name: emitDecoderLayer(ctx.g, target!.name, memory!.name, layer, ctx.path, ffn, targetMask, memoryMask), shape: layer.outputShape({ target: target!.shape, memory: memory!.shape }), mask: targetMask };
  }) as Converter<never>],
  [MultiHeadAttention, ((layer: MultiHeadAttention, x: OnnxInput, ctx: ConvertContext) => {
    const { query, value, key } = record(ctx, layer, x, ['query', 'value'], ['key']);
    const keys = key ?? value!;
    const y = emitAttention(ctx.g, query!.name, keys.name, layer, ctx.path, {
      keyMask: applyMask(ctx, 'keyMask') ?? keys.mask ?? null,
      attentionMask: applyMask(ctx, 'attentionMask'),
      causal: ctx.apply?.causal ?? false,
    }, value!.name);
    return { name: y, shape: layer.outputShape({ query: query!.shape, value: value!.shape, ...(key ? { key: key.shape } : {}) }), mask: query!.mask ?? null };
  }) as Converter<never>],
  [Add, merge as Converter<never>],
  [Multiply, merge as Converter<never>],
  [Concatenate, ((layer: Concatenate, x: OnnxInput, ctx: ConvertContext) => {
    const xs = list(ctx, layer, x);
    const rank = xs[0]!.shape.length;
    const axis = layer.axis < 0 ? rank + layer.axis : layer.axis;
    return { name: ctx.g.op('Concat', xs.map((v) => v.name), { axis: attr.int(axis) }), shape: layer.outputShape(xs.map((v) => v.shape)) };
  }) as Converter<never>],
  [TimeDistributed, ((layer: TimeDistributed, x: OnnxValue, ctx: ConvertContext) => {
    if (x.mask) unsupported(ctx, layer, 'receives a padding mask, which its inner layer would see per step; export it without padding masks');
    // Fold time into the batch: (B, T, ...) → (B·T, ...), the inner layer, then unfold.
    const [, t, ...rest] = x.shape;
    if (rest.some((d) => typeof d !== 'number')) {
      unsupported(ctx, layer, `needs known sizes after the batch and time, got input ${formatShape(x.shape)}`);
    }
    const folded = ctx.g.op('Reshape', [x.name, ctx.g.int64('shape', [-1, ...(rest as number[])])]);
    const inner = convertLayer(layer.layer, { name: folded, shape: [null, ...rest] }, { ...ctx, path: `${ctx.path}.${layer.layer.name}` });
    const out = inner.shape.slice(1) as number[];
    if (out.some((d) => typeof d !== 'number')) unsupported(ctx, layer, `inner output expected known sizes, got ${formatShape(inner.shape)}`);
    // Unfold to (B, T, ...): a known T in the shape, a dynamic one read from the input.
    const target = typeof t === 'number'
      ? ctx.g.int64('shape', [-1, t, ...out])
      : ctx.g.op('Concat', [ctx.g.op('Shape', [x.name], { start: attr.int(0), end: attr.int(2) }), ctx.g.int64('shape', out)], { axis: attr.int(0) });
    return { name: ctx.g.op('Reshape', [inner.name, target]), shape: layer.outputShape(x.shape) };
  }) as Converter<never>],
  [SinusoidalPositionalEncoding, ((layer: SinusoidalPositionalEncoding, x: OnnxValue, ctx: ConvertContext) =>
    timeTable(layer, x, ctx, (t, d) => values(() => sinusoidalPositionalEncoding(t, d, layer.base)), ctx.g.maxSequenceLength)) as Converter<never>],
  [PositionalEmbedding, ((layer: PositionalEmbedding, x: OnnxValue, ctx: ConvertContext) =>
    timeTable(layer, x, ctx, (t, d) => values(() => tf.slice(layer.embeddings!, [0, 0], [t, d])), layer.embeddings!.shape[0]!)) as Converter<never>],
];

/** The class names exportOnnx converts, for messages and docs. */
export const ONNX_SUPPORTED_LAYERS: readonly string[] = CONVERTERS.map(([cls]) => cls.name);

/** Converters for modules exportOnnx does not know, registered by their class (see registerOnnxConverter). */
const CUSTOM = new Map<abstract new (...args: never[]) => AnyModule, (layer: AnyModule, x: OnnxInput, convert: (child: AnyModule, x: OnnxInput) => OnnxInput) => OnnxInput>();

/** Registers a custom converter (see registerOnnxConverter). */
export function registerCustom(
  cls: abstract new (...args: never[]) => AnyModule,
  fn: (layer: AnyModule, x: OnnxInput, convert: (child: AnyModule, x: OnnxInput) => OnnxInput) => OnnxInput,
): void {
  CUSTOM.set(cls, fn);
}

const MULTI_INPUT = new Set<unknown>([MultiHeadAttention, TransformerDecoderLayer, Add, Multiply, Concatenate]);

/** Whether the layer hands its input mask on unchanged (the library's default `computeMask`). */
function passesMask(layer: AnyModule): boolean {
  const probe = tf.zeros([1, 1]);
  try {
    return layer.computeMask(probe, probe) === probe;
  } finally {
    probe.dispose();
  }
}

/** Converts one layer (a Sequential recursively), or throws naming it when it has no converter. */
export function convertLayer(layer: AnyModule, x: OnnxInput, ctx: ConvertContext): OnnxValue {
  const out = convertAny(layer, x, ctx);
  if (out.mask === undefined) {
    const input = Array.isArray(x) || typeof (x as OnnxValue).name !== 'string' ? null : (x as OnnxValue);
    out.mask = input?.mask && passesMask(layer) ? input.mask : null;
  }
  return out;
}

function convertAny(layer: AnyModule, x: OnnxInput, ctx: ConvertContext): OnnxValue {
  const child = (key: string): ConvertContext => ({ g: ctx.g, path: ctx.path === '' ? key : `${ctx.path}.${key}` });
  for (const [cls, fn] of CUSTOM) {
    if (layer.constructor === cls) {
      const keys = new Map([...layer.namedChildren()].map(([k, c]) => [c, k]));
      const out = fn(layer, x, (c, v) => convertLayer(c, v, child(keys.get(c) ?? c.name)));
      return single(ctx, layer, out);
    }
  }
  const model = modelConverter(layer);
  if (model !== null) return model(layer, x, ctx, convertLayer);
  // The most derived class wins: look for the exact class first, then a base class.
  const exact = CONVERTERS.find(([cls]) => layer.constructor === cls);
  const found = exact ?? CONVERTERS.find(([cls]) => layer instanceof cls);
  if (found === undefined) {
    throw new ConfigError(`exportOnnx: layer '${ctx.path}' (${layer.className}) has no ONNX converter`, {
      help: `supported layers: ${ONNX_SUPPORTED_LAYERS.join(', ')}; for a model of your own, registerOnnxConverter(${layer.className}, (model, input, convert) => ...) composes its children`,
    });
  }
  const multi = [...MULTI_INPUT].some((cls) => layer instanceof (cls as abstract new (...args: never[]) => AnyModule));
  return (found[1] as (layer: AnyModule, x: OnnxInput, ctx: ConvertContext) => OnnxValue)(layer, multi ? x : single(ctx, layer, x), ctx);
}

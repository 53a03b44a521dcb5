// The fused attention kernels of @tensorloom/core's contract (FusedAttention and its
// backward) as one ONNX graph each per shape signature. The forward returns the softmax
// weights beside the output, so that the backward is one graph of MatMuls and element-wise
// nodes over them: no logits recomputed, no softmax differentiated op by op.
//
// There is no small-call fallback to wasm here, unlike the single heavy kernels: the general
// path these replace is ~12 wasm kernel calls forward and ~20 backward (each with the
// engine's bookkeeping), so one ONNX Runtime call wins at every size measured (README).
import { BackendError, FusedAttention, type FusedAttentionAttrs, FusedAttentionGrad, formatShape, type tf } from '@tensorloom/core';
import { runGraph } from '../internal/graph.js';
import { type KernelArgs, nativeKernel, wasmBackend } from '../internal/kernel.js';
import type { OnnxGraph, OnnxNode } from '../internal/onnx.js';

/** The additive logit of a masked key, as the general path (layers' MASKED_LOGIT = −1e9). */
const MASKED = 1e9;

type Infos = Record<string, tf.TensorInfo | undefined>;

function checkFloat(kernel: string, inputs: Infos): void {
  for (const [name, info] of Object.entries(inputs)) {
    if (info !== undefined && info.dtype !== 'float32') {
      throw new BackendError(`@tensorloom/backend-native: ${kernel} input '${name}' expected float32, got ${info.dtype}`);
    }
  }
}

/** Axis order that takes `[B, T, H, D]` to `[B, H, T, D]` and back (its own inverse). */
const SWAP_TH = [0, 2, 1, 3];
const SWAP_LAST = [0, 1, 3, 2];

/** Nodes that give `name` in `[B, H, L, D]` from a graph input in `layout`. */
function toHeads(nodes: OnnxNode[], input: string, name: string, layout: FusedAttentionAttrs['layout']): string {
  if (layout === 'bhtd') return input;
  nodes.push({ op: 'Transpose', inputs: [input], outputs: [name], attrs: { perm: SWAP_TH } });
  return name;
}

/** A node writing `[B, H, L, D]` value `from` to graph output `output` in `layout`. */
function fromHeads(nodes: OnnxNode[], from: string, output: string, layout: FusedAttentionAttrs['layout']): void {
  nodes.push(layout === 'bhtd' ? { op: 'Identity', inputs: [from], outputs: [output] } : { op: 'Transpose', inputs: [from], outputs: [output], attrs: { perm: SWAP_TH } });
}

function scaleNode(scale: number): OnnxNode {
  return { op: 'Constant', inputs: [], outputs: ['scale'], attrs: { value_float: { float: scale } } };
}

interface Dims {
  b: number;
  h: number;
  t: number;
  s: number;
  d: number;
  dv: number;
}

function dims(kernel: string, q: tf.TensorInfo, k: tf.TensorInfo, v: tf.TensorInfo, layout: string): Dims {
  if (q.shape.length !== 4 || k.shape.length !== 4 || v.shape.length !== 4) {
    throw new BackendError(`@tensorloom/backend-native: ${kernel} q, k, v expected rank 4, got ${formatShape(q.shape)}, ${formatShape(k.shape)}, ${formatShape(v.shape)}`);
  }
  const [b, a1, a2, d] = q.shape as [number, number, number, number];
  const [h, t] = layout === 'bthd' ? [a2, a1] : [a1, a2];
  const s = (layout === 'bthd' ? k.shape[1] : k.shape[2]) as number;
  return { b, h, t, s, d, dv: v.shape[3] as number };
}

function inLayout(layout: string, b: number, h: number, l: number, d: number): number[] {
  return layout === 'bthd' ? [b, l, h, d] : [b, h, l, d];
}

function forward(args: KernelArgs): tf.TensorInfo[] {
  const backend = wasmBackend(args);
  const { q, k, v, mask, keep } = args.inputs as Infos as { q: tf.TensorInfo; k: tf.TensorInfo; v: tf.TensorInfo; mask?: tf.TensorInfo; keep?: tf.TensorInfo };
  const { scale, layout } = args.attrs as unknown as FusedAttentionAttrs;
  checkFloat(FusedAttention, { q, k, v, mask, keep });
  const { b, h, t, s, dv } = dims(FusedAttention, q, k, v, layout);
  const outShape = inLayout(layout, b, h, t, dv);
  const weightsShape = [b, h, t, s];
  const key = `FusedAttention|${layout}|${q.shape}|${k.shape}|${v.shape}|${mask?.shape ?? '-'}|${keep === undefined ? '-' : 'keep'}|${scale}`;
  const feeds = [{ info: q }, { info: k }, { info: v }];
  if (mask !== undefined) feeds.push({ info: mask });
  if (keep !== undefined) feeds.push({ info: keep });
  const build = (): OnnxGraph => {
    const nodes: OnnxNode[] = [scaleNode(scale)];
    const qh = toHeads(nodes, 'x0', 'qh', layout);
    const vh = toHeads(nodes, 'x2', 'vh', layout);
    nodes.push({ op: 'Transpose', inputs: ['x1'], outputs: ['kt'], attrs: { perm: layout === 'bthd' ? [0, 2, 3, 1] : SWAP_LAST } });
    nodes.push({ op: 'Mul', inputs: [qh, 'scale'], outputs: ['qs'] });
    nodes.push({ op: 'MatMul', inputs: ['qs', 'kt'], outputs: ['logits'] });
    const inputs = [
      { name: 'x0', shape: q.shape },
      { name: 'x1', shape: k.shape },
      { name: 'x2', shape: v.shape },
    ];
    let next = 3;
    if (mask !== undefined) {
      const m = `x${next++}`;
      inputs.push({ name: m, shape: mask.shape });
      nodes.push(
        { op: 'Constant', inputs: [], outputs: ['one'], attrs: { value_float: { float: 1 } } },
        { op: 'Constant', inputs: [], outputs: ['big'], attrs: { value_float: { float: MASKED } } },
        { op: 'Sub', inputs: [m, 'one'], outputs: ['m1'] },
        { op: 'Mul', inputs: ['m1', 'big'], outputs: ['bias'] },
        { op: 'Add', inputs: ['logits', 'bias'], outputs: ['masked'] },
        { op: 'Softmax', inputs: ['masked'], outputs: ['soft'], attrs: { axis: -1 } },
        // A row whose keys are all masked attends to nothing (weights 0), as the general path.
        { op: 'ReduceMax', inputs: [m], outputs: ['any'], attrs: { axes: [-1], keepdims: 1 } },
        { op: 'Mul', inputs: ['soft', 'any'], outputs: ['y1'] },
      );
    } else {
      nodes.push({ op: 'Softmax', inputs: ['logits'], outputs: ['y1'], attrs: { axis: -1 } });
    }
    let weights = 'y1';
    if (keep !== undefined) {
      const kp = `x${next}`;
      inputs.push({ name: kp, shape: keep.shape });
      nodes.push({ op: 'Mul', inputs: ['y1', kp], outputs: ['dropped'] });
      weights = 'dropped';
    }
    nodes.push({ op: 'MatMul', inputs: [weights, vh], outputs: ['out'] });
    fromHeads(nodes, 'out', 'y0', layout);
    return { inputs, outputs: [{ name: 'y0', shape: outShape }, { name: 'y1', shape: weightsShape }], nodes };
  };
  return runGraph(backend, key, build, feeds, [outShape, weightsShape]);
}

function backward(args: KernelArgs): tf.TensorInfo[] {
  const backend = wasmBackend(args);
  const { dy, q, k, v, weights, keep } = args.inputs as Infos as {
    dy: tf.TensorInfo;
    q: tf.TensorInfo;
    k: tf.TensorInfo;
    v: tf.TensorInfo;
    weights: tf.TensorInfo;
    keep?: tf.TensorInfo;
  };
  const { scale, layout } = args.attrs as unknown as FusedAttentionAttrs;
  checkFloat(FusedAttentionGrad, { dy, q, k, v, weights, keep });
  dims(FusedAttentionGrad, q, k, v, layout);
  const key = `FusedAttentionGrad|${layout}|${q.shape}|${k.shape}|${v.shape}|${keep === undefined ? '-' : 'keep'}|${scale}`;
  const feeds = [{ info: dy }, { info: q }, { info: k }, { info: v }, { info: weights }];
  if (keep !== undefined) feeds.push({ info: keep });
  const build = (): OnnxGraph => {
    const nodes: OnnxNode[] = [scaleNode(scale)];
    const dyh = toHeads(nodes, 'x0', 'dyh', layout);
    const qh = toHeads(nodes, 'x1', 'qh', layout);
    const kh = toHeads(nodes, 'x2', 'kh', layout);
    nodes.push({ op: 'Transpose', inputs: ['x3'], outputs: ['vt'], attrs: { perm: layout === 'bthd' ? [0, 2, 3, 1] : SWAP_LAST } });
    nodes.push({ op: 'MatMul', inputs: [dyh, 'vt'], outputs: ['g0'] }); // dy·vᵀ (B, H, T, S)
    let g = 'g0';
    let dropped = 'x4';
    if (keep !== undefined) {
      nodes.push({ op: 'Mul', inputs: ['g0', 'x5'], outputs: ['g'] }, { op: 'Mul', inputs: ['x4', 'x5'], outputs: ['pd'] });
      g = 'g';
      dropped = 'pd';
    }
    nodes.push(
      { op: 'Transpose', inputs: [dropped], outputs: ['pdt'], attrs: { perm: SWAP_LAST } },
      { op: 'MatMul', inputs: ['pdt', dyh], outputs: ['dvh'] }, // (B, H, S, Dv)
      // Softmax backward: dL = P ⊙ (G − rowsum(G ⊙ P)); rows of zero weights give zero.
      { op: 'Mul', inputs: [g, 'x4'], outputs: ['gp'] },
      { op: 'ReduceSum', inputs: ['gp', 'lastAxis'], outputs: ['rs'], attrs: { keepdims: 1 } },
      { op: 'Sub', inputs: [g, 'rs'], outputs: ['gm'] },
      { op: 'Mul', inputs: ['x4', 'gm'], outputs: ['dl'] },
      { op: 'Mul', inputs: ['dl', 'scale'], outputs: ['dls'] },
      { op: 'MatMul', inputs: ['dls', kh], outputs: ['dqh'] }, // (B, H, T, D)
      { op: 'Transpose', inputs: ['dls'], outputs: ['dlt'], attrs: { perm: SWAP_LAST } },
      { op: 'MatMul', inputs: ['dlt', qh], outputs: ['dkh'] }, // (B, H, S, D)
    );
    fromHeads(nodes, 'dqh', 'y0', layout);
    fromHeads(nodes, 'dkh', 'y1', layout);
    fromHeads(nodes, 'dvh', 'y2', layout);
    const inputs = [
      { name: 'x0', shape: dy.shape },
      { name: 'x1', shape: q.shape },
      { name: 'x2', shape: k.shape },
      { name: 'x3', shape: v.shape },
      { name: 'x4', shape: weights.shape },
    ];
    if (keep !== undefined) inputs.push({ name: 'x5', shape: keep.shape });
    return {
      inputs,
      outputs: [
        { name: 'y0', shape: q.shape },
        { name: 'y1', shape: k.shape },
        { name: 'y2', shape: v.shape },
      ],
      nodes,
      constants: { lastAxis: [3] },
    };
  };
  return runGraph(backend, key, build, feeds, [q.shape, k.shape, v.shape]);
}

/** FusedAttention (core's contract) as one ONNX Runtime session per shape signature. */
export const fusedAttentionConfig = nativeKernel(FusedAttention, forward, { light: false });

/** FusedAttentionGrad (core's contract): dq, dk, dv in one ONNX Runtime session per signature. */
export const fusedAttentionGradConfig = nativeKernel(FusedAttentionGrad, backward, { light: false });

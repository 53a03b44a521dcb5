// The fused layer normalization kernels of @tensorloom/core's contract (over the last axis)
// as one ONNX graph each per shape signature: the forward is ONNX's LayerNormalization
// (opset 17), which also returns the row mean and 1/std the backward reads; the backward is
// one graph of element-wise nodes and reductions.
//
// No small-call fallback to wasm: the general path is ~8 wasm kernel calls forward and ~15
// backward; one ONNX Runtime call wins at every size measured (README).
import { BackendError, FusedLayerNorm, type FusedLayerNormAttrs, FusedLayerNormGrad, formatShape, type tf } from '@tensorloom/core';
import { runGraph } from '../internal/graph.js';
import { type KernelArgs, nativeKernel, wasmBackend } from '../internal/kernel.js';
import type { OnnxGraph } from '../internal/onnx.js';

type Infos = Record<string, tf.TensorInfo>;

function check(kernel: string, inputs: Infos, x: tf.TensorInfo, gamma: tf.TensorInfo): void {
  for (const [name, info] of Object.entries(inputs)) {
    if (info.dtype !== 'float32') throw new BackendError(`@tensorloom/backend-native: ${kernel} input '${name}' expected float32, got ${info.dtype}`);
  }
  const c = x.shape[x.shape.length - 1];
  if (x.shape.length < 2 || gamma.shape.length !== 1 || gamma.shape[0] !== c) {
    throw new BackendError(`@tensorloom/backend-native: ${kernel} expected x [..., C] of rank >= 2 and gamma [C], got x ${formatShape(x.shape)}, gamma ${formatShape(gamma.shape)}`);
  }
}

function statsShape(x: tf.TensorInfo): number[] {
  return [...x.shape.slice(0, -1), 1];
}

function forward(args: KernelArgs): tf.TensorInfo[] {
  const backend = wasmBackend(args);
  const { x, gamma, beta } = args.inputs as Infos;
  const { epsilon } = args.attrs as unknown as FusedLayerNormAttrs;
  check(FusedLayerNorm, { x: x!, gamma: gamma!, beta: beta! }, x!, gamma!);
  const stats = statsShape(x!);
  const key = `FusedLayerNorm|${x!.shape}|${epsilon}`;
  const build = (): OnnxGraph => ({
    inputs: [
      { name: 'x0', shape: x!.shape },
      { name: 'x1', shape: gamma!.shape },
      { name: 'x2', shape: beta!.shape },
    ],
    outputs: [
      { name: 'y0', shape: x!.shape },
      { name: 'y1', shape: stats },
      { name: 'y2', shape: stats },
    ],
    nodes: [{ op: 'LayerNormalization', inputs: ['x0', 'x1', 'x2'], outputs: ['y0', 'y1', 'y2'], attrs: { axis: -1, epsilon: { float: epsilon } } }],
  });
  return runGraph(backend, key, build, [{ info: x! }, { info: gamma! }, { info: beta! }], [x!.shape, stats, stats]);
}

function backward(args: KernelArgs): tf.TensorInfo[] {
  const backend = wasmBackend(args);
  const { dy, x, gamma, mean, rstd } = args.inputs as Infos;
  const { epsilon } = args.attrs as unknown as FusedLayerNormAttrs;
  check(FusedLayerNormGrad, { dy: dy!, x: x!, gamma: gamma!, mean: mean!, rstd: rstd! }, x!, gamma!);
  const rank = x!.shape.length;
  const key = `FusedLayerNormGrad|${x!.shape}|${epsilon}`;
  const build = (): OnnxGraph => ({
    inputs: [
      { name: 'x0', shape: dy!.shape },
      { name: 'x1', shape: x!.shape },
      { name: 'x2', shape: gamma!.shape },
      { name: 'x3', shape: mean!.shape },
      { name: 'x4', shape: rstd!.shape },
    ],
    outputs: [
      { name: 'y0', shape: x!.shape },
      { name: 'y1', shape: gamma!.shape },
      { name: 'y2', shape: gamma!.shape },
    ],
    nodes: [
      { op: 'Sub', inputs: ['x1', 'x3'], outputs: ['xc'] },
      { op: 'Mul', inputs: ['xc', 'x4'], outputs: ['xhat'] },
      // dbeta = Σ dy, dgamma = Σ dy·x̂ over every axis but the last.
      { op: 'ReduceSum', inputs: ['x0', 'lead'], outputs: ['y2'], attrs: { keepdims: 0 } },
      { op: 'Mul', inputs: ['x0', 'xhat'], outputs: ['dyx'] },
      { op: 'ReduceSum', inputs: ['dyx', 'lead'], outputs: ['y1'], attrs: { keepdims: 0 } },
      // dx = rstd·(g − mean(g) − x̂·mean(g·x̂)), g = dy·gamma, means over the last axis.
      { op: 'Mul', inputs: ['x0', 'x2'], outputs: ['g'] },
      { op: 'ReduceMean', inputs: ['g'], outputs: ['m1'], attrs: { axes: [-1], keepdims: 1 } },
      { op: 'Mul', inputs: ['g', 'xhat'], outputs: ['gx'] },
      { op: 'ReduceMean', inputs: ['gx'], outputs: ['m2'], attrs: { axes: [-1], keepdims: 1 } },
      { op: 'Sub', inputs: ['g', 'm1'], outputs: ['t1'] },
      { op: 'Mul', inputs: ['xhat', 'm2'], outputs: ['t2'] },
      { op: 'Sub', inputs: ['t1', 't2'], outputs: ['t3'] },
      { op: 'Mul', inputs: ['t3', 'x4'], outputs: ['y0'] },
    ],
    constants: { lead: [...Array(rank - 1).keys()] },
  });
  return runGraph(
    backend,
    key,
    build,
    [{ info: dy! }, { info: x! }, { info: gamma! }, { info: mean! }, { info: rstd! }],
    [x!.shape, gamma!.shape, gamma!.shape],
  );
}

/** FusedLayerNorm (core's contract) as one ONNX LayerNormalization session per shape. */
export const fusedLayerNormConfig = nativeKernel(FusedLayerNorm, forward, { light: false });

/** FusedLayerNormGrad (core's contract): dx, dgamma, dbeta in one ONNX Runtime session per shape. */
export const fusedLayerNormGradConfig = nativeKernel(FusedLayerNormGrad, backward, { light: false });

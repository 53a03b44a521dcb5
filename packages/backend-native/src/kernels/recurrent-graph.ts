// What the fused LSTM and GRU graphs share: a small builder of ONNX nodes with fresh names,
// the cutting of a [batch, time, width] tensor into steps, and the batched products of the
// backward pass (the input, kernel, recurrent-kernel and bias gradients, each one node over
// all [batch·time] rows instead of one per step).
import type { tf } from '@tensorloom/core';
import type { OnnxGraph, OnnxNode } from '../internal/onnx.js';

/** The sizes of a recurrent kernel call: x `[batch, time, features]`, `units` from the recurrent kernel. */
export interface Dims {
  batch: number;
  time: number;
  features: number;
  units: number;
}

/** The {@link Dims} of a call from its input and recurrent kernel. */
export function dims(x: tf.TensorInfo, recurrentKernel: tf.TensorInfo): Dims {
  const [batch, time, features] = x.shape as [number, number, number];
  return { batch, time, features, units: recurrentKernel.shape[0]! };
}

/** Builds one graph: nodes with generated output names, int64 constants by value. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly constants: Record<string, number[]> = {};
  private count = 0;
  private readonly constantNames = new Map<string, string>();
  private oneName: string | null = null;

  /** Adds `op` on `inputs`; returns its `outputs` fresh output names. */
  ops(op: string, inputs: string[], outputs: number, attrs?: OnnxNode['attrs']): string[] {
    const names = Array.from({ length: outputs }, () => `t${this.count++}`);
    this.nodes.push({ op, inputs, outputs: names, ...(attrs ? { attrs } : {}) });
    return names;
  }

  /** Adds a one-output `op`; returns its output name. */
  op(op: string, inputs: string[], attrs?: OnnxNode['attrs']): string {
    return this.ops(op, inputs, 1, attrs)[0]!;
  }

  /** An int64 constant vector (shapes, split sizes, axes). */
  ints(values: number[]): string {
    const key = values.join(',');
    let name = this.constantNames.get(key);
    if (name === undefined) {
      name = `k${this.constantNames.size}`;
      this.constantNames.set(key, name);
      this.constants[name] = values;
    }
    return name;
  }

  /** A float32 `[1]` tensor of 1 (exp of ConstantOfShape's zero: the encoder has no float constants). */
  one(): string {
    this.oneName ??= this.op('Exp', [this.op('ConstantOfShape', [this.ints([1])])]);
    return this.oneName;
  }

  reshape(x: string, shape: number[]): string {
    return this.op('Reshape', [x, this.ints(shape)]);
  }

  /** Cuts `x` along `axis` into parts of `sizes` (equal parts when every size is equal). */
  split(x: string, axis: number, sizes: number[]): string[] {
    if (sizes.length === 1) return [x];
    return this.ops('Split', [x, this.ints(sizes)], sizes.length, { axis });
  }

  /** `[batch, time, width]` → `time` tensors `[batch, width]`, in the order of axis 1. */
  steps(x: string, batch: number, time: number, width: number): string[] {
    const flat = this.reshape(x, time === 1 ? [batch, width] : [batch, time * width]);
    return this.split(flat, 1, Array(time).fill(width));
  }

  /** `time` tensors `[batch, width]` → `[batch, time, width]` (their concat, reshaped). */
  stack(parts: string[], batch: number, width: number, output?: string): string {
    const joined = parts.length === 1 ? parts[0]! : this.op('Concat', parts, { axis: 1 });
    const name = output ?? `t${this.count++}`;
    this.nodes.push({ op: 'Reshape', inputs: [joined, this.ints([batch, parts.length, width])], outputs: [name] });
    return name;
  }

  /** `output = input` under a given name (a graph output). */
  identity(input: string, output: string): void {
    this.nodes.push({ op: 'Identity', inputs: [input], outputs: [output] });
  }

  /** `1 − x`. */
  oneMinus(x: string): string {
    return this.op('Sub', [this.one(), x]);
  }

  graph(inputs: { name: string; shape: readonly number[] }[], outputs: { name: string; shape: readonly number[] }[]): OnnxGraph {
    return { inputs, outputs, nodes: this.nodes, constants: this.constants };
  }
}

/** The step each position of the processing order reads: `time − 1 − k` going backwards. */
export function timeIndex(k: number, time: number, goBackwards: boolean): number {
  return goBackwards ? time - 1 - k : k;
}

/**
 * The mask's columns as `[batch, 1]` booleans, in time order (for `Where` in the forward), or
 * as 0/1 floats (for the backward's products): the contract's mask is non-zero where valid.
 */
export function maskColumns(g: GraphBuilder, mask: string, time: number, as: 'bool' | 'float'): string[] {
  const valid = g.op('Cast', [mask], { to: 9 }); // BOOL: non-zero → true
  const columns = as === 'bool' ? valid : g.op('Cast', [valid], { to: 1 }); // FLOAT
  return g.split(columns, 1, Array(time).fill(1));
}

/**
 * The gradients that are batched over the whole sequence once the per-step pre-activation
 * gradients are known: `dx = dZ·Wᵀ` and `dW = Xᵀ·dZ` over `[batch·time]` rows (dZ in time
 * order), written to the outputs `dx` and `dKernel`.
 *
 * @param dzSteps - the pre-activation gradient of each step, in processing order.
 */
export function inputGradients(
  g: GraphBuilder,
  args: { x: string; kernel: string; dzSteps: string[]; batch: number; time: number; features: number; width: number; goBackwards: boolean },
  outputs: { dx: string; dKernel: string },
): void {
  const { batch, time, features, width } = args;
  const timeOrder = args.goBackwards ? [...args.dzSteps].reverse() : args.dzSteps;
  const dz = g.reshape(time === 1 ? timeOrder[0]! : g.op('Concat', timeOrder, { axis: 1 }), [batch * time, width]); // (B·T, G·U)
  const dx = g.op('MatMul', [dz, g.op('Transpose', [args.kernel], { perm: [1, 0] })]); // (B·T, F)
  g.nodes.push({ op: 'Reshape', inputs: [dx, g.ints([batch, time, features])], outputs: [outputs.dx] });
  const xRows = g.op('Transpose', [g.reshape(args.x, [batch * time, features])], { perm: [1, 0] }); // (F, B·T)
  g.nodes.push({ op: 'MatMul', inputs: [xRows, dz], outputs: [outputs.dKernel] });
}

/** `[batch·time, width]` rows of per-step tensors in processing order (batch-major rows). */
export function rows(g: GraphBuilder, steps: string[], batch: number, width: number): string {
  return g.reshape(steps.length === 1 ? steps[0]! : g.op('Concat', steps, { axis: 1 }), [batch * steps.length, width]);
}

/** `aᵀ·b` for `[n, p]` and `[n, q]` (ORT fuses the transpose into its MatMul). */
export function transposedProduct(g: GraphBuilder, a: string, b: string, output?: string): string {
  const at = g.op('Transpose', [a], { perm: [1, 0] });
  if (output === undefined) return g.op('MatMul', [at, b]);
  g.nodes.push({ op: 'MatMul', inputs: [at, b], outputs: [output] });
  return output;
}

/** The signature of a fused call: its kernel, shapes and attributes. */
export function signature(kernel: string, infos: readonly tf.TensorInfo[], attrs: Record<string, unknown>): string {
  return `${kernel}|${infos.map((i) => i.shape.join('x')).join('|')}|${JSON.stringify(attrs)}`;
}

// What every ONNX converter shares: the value and context types, the error for what has no
// ONNX form, and the activations (used by the layer converters and the model converters alike).
import { ConfigError, tf } from '@tensorloom/core';
import { getActivation } from '@tensorloom/layers';
import type { ActivationFn, ActivationName, Module, Shape } from '@tensorloom/layers';
import { attr } from './graph.js';
import type { GraphBuilder } from './graph.js';

/**
 * A value flowing through the graph: its ONNX name, its shape (`null` for dynamic sizes) and,
 * for sequences, the ONNX name of its padding mask (float32 `[batch, time]`, 1 = a real step),
 * as the library's `computeMask` would hand it to the next layer.
 */
export interface OnnxValue {
  name: string;
  shape: Shape;
  mask?: string | null;
  /** The further outputs of a layer with several (`returnState`, Bidirectional's `mergeMode: 'none'`). */
  rest?: readonly OnnxValue[];
}

/** A converter's input: one value, a list (merges) or a record (attention, decoder, seq2seq). */
export type OnnxInput = OnnxValue | readonly OnnxValue[] | { readonly [key: string]: OnnxValue };

/** The top-level apply options given as graph inputs (masks by option name) or constants. */
export interface ApplyInputs {
  /** Mask graph inputs by apply-option name, as float32 0/1 values (see {@link toFloatMask}). */
  masks: Record<string, string>;
  /** MultiHeadAttention's `useCausalMask`. */
  causal: boolean;
  /** Option names a converter read (the others are an error). */
  used: Set<string>;
}

/** What a converter gets: the graph, the layer's dotted path (for messages and node names). */
export interface ConvertContext {
  g: GraphBuilder;
  path: string;
  /** The top-level layer's apply options (only the model exported receives them). */
  apply?: ApplyInputs;
}

/** The apply-option mask `name` of the top-level layer, marked as used, or `null`. */
export function applyMask(ctx: ConvertContext, name: string): string | null {
  const m = ctx.apply?.masks[name];
  if (m === undefined) return null;
  ctx.apply!.used.add(name);
  return m;
}

/** A 0/1 float32 mask from any numeric one (non-zero = valid), as the library's `maskToFloat`. */
export function toFloatMask(g: GraphBuilder, mask: string): string {
  return g.op('Cast', [g.op('Cast', [mask], { to: attr.int(9) })], { to: attr.int(1) }); // BOOL, then FLOAT
}

/** The padding mask `ids != padId` of int32 token ids `[B, T]`, as float32 0/1. */
export function maskFromIds(g: GraphBuilder, ids: string, padId: number): string {
  const same = g.op('Equal', [ids, g.tensor32('pad_id', [padId], [])]);
  return g.op('Cast', [g.op('Not', [same])], { to: attr.int(1) });
}

/** Any module, whatever its input and output. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any, any>;

/** A Reduce* node over `axes`: ReduceSum takes them as an input since opset 13, the others since opset 18. */
export function reduce(g: GraphBuilder, op: 'ReduceSum' | 'ReduceMean' | 'ReduceMax', x: string, axes: readonly number[], keepdims: boolean): string {
  const asInput = op === 'ReduceSum' || g.opset >= 18;
  return asInput
    ? g.op(op, [x, g.int64('axes', axes)], { keepdims: attr.int(keepdims ? 1 : 0) })
    : g.op(op, [x], { axes: attr.ints(axes), keepdims: attr.int(keepdims ? 1 : 0) });
}

/** The single value of a converter's input, or the error naming the layer. */
export function single(ctx: ConvertContext, layer: AnyModule, x: OnnxInput): OnnxValue {
  if (Array.isArray(x) || typeof (x as OnnxValue).name !== 'string') unsupported(ctx, layer, `expected one input, got ${Array.isArray(x) ? `a list of ${x.length}` : `the inputs ${Object.keys(x).join(', ')}`}`);
  return x as OnnxValue;
}

/** Throws the error for a layer or option that has no ONNX form. */
export function unsupported(ctx: ConvertContext, layer: AnyModule, what: string): never {
  throw new ConfigError(`exportOnnx: layer '${ctx.path}' (${layer.className}) ${what}`);
}

/** The float32 values of a tensor computed by `fn` (disposed afterwards). */
export function values(fn: () => tf.Tensor): Float32Array {
  const t = tf.tidy(fn);
  const out = Float32Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return out;
}

const ACTIVATION_NAMES = [
  'linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'selu', 'gelu', 'geluTanh', 'sigmoid', 'hardSigmoid', 'tanh',
  'softmax', 'logSoftmax', 'silu', 'swish', 'softplus', 'softsign',
] as const satisfies readonly ActivationName[];

/** The name of an activation given as a name or as one of the library's own functions, else `null`. */
export function activationName(a: ActivationName | ActivationFn): ActivationName | null {
  if (typeof a === 'string') return a;
  return ACTIVATION_NAMES.find((n) => getActivation(n) === a) ?? null;
}

/** Emits an activation; a custom function cannot be exported. */
export function emitActivation(g: GraphBuilder, x: string, activation: ActivationName | ActivationFn, ctx: ConvertContext, layer: AnyModule): string {
  const name = activationName(activation);
  if (name === null) unsupported(ctx, layer, 'has a custom activation function, which cannot be exported; use a named activation');
  const half = (): string => g.constant('half', [0.5], []);
  switch (name) {
    case 'linear': return x;
    case 'relu': return g.op('Relu', [x]);
    case 'relu6': return g.op('Clip', [x, g.constant('zero', [0], []), g.constant('six', [6], [])]);
    case 'leakyRelu': return g.op('LeakyRelu', [x], { alpha: attr.float(0.2) });
    case 'elu': return g.op('Elu', [x], { alpha: attr.float(1) });
    case 'selu': return g.op('Selu', [x]);
    case 'gelu': {
      // ½x(1 + erf(x/√2))
      const erf = g.op('Erf', [g.op('Mul', [x, g.constant('inv_sqrt2', [Math.SQRT1_2], [])])]);
      return g.op('Mul', [g.op('Mul', [x, half()]), g.op('Add', [erf, g.constant('one', [1], [])])]);
    }
    case 'geluTanh': {
      // ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
      const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
      const inner = g.op('Add', [x, g.op('Mul', [cube, g.constant('c', [0.044715], [])])]);
      const t = g.op('Tanh', [g.op('Mul', [inner, g.constant('sqrt_2_over_pi', [Math.sqrt(2 / Math.PI)], [])])]);
      return g.op('Mul', [g.op('Mul', [x, half()]), g.op('Add', [t, g.constant('one', [1], [])])]);
    }
    case 'sigmoid': return g.op('Sigmoid', [x]);
    case 'hardSigmoid': return g.op('HardSigmoid', [x], { alpha: attr.float(0.2), beta: attr.float(0.5) });
    case 'tanh': return g.op('Tanh', [x]);
    case 'softmax': return g.op('Softmax', [x], { axis: attr.int(-1) });
    case 'logSoftmax': return g.op('LogSoftmax', [x], { axis: attr.int(-1) });
    case 'silu':
    case 'swish': return g.op('Mul', [x, g.op('Sigmoid', [x])]);
    case 'softplus': return g.op('Softplus', [x]);
    case 'softsign': return g.op('Softsign', [x]);
  }
}

/**
 * `x + table[:T]`: with a known T the table's first T rows; with a dynamic T, a table of
 * `maxRows` rows sliced in the graph to the input's length.
 */
export function addTimeTable(g: GraphBuilder, x: string, shape: Shape, path: string, table: (t: number, d: number) => Float32Array, maxRows: number | null): string | null {
  const [, t, d] = shape;
  if (typeof d !== 'number') return null;
  if (typeof t === 'number') return g.op('Add', [x, g.constant(`${path}.table`, table(t, d), [t, d])]);
  if (maxRows === null) return null;
  const full = g.constant(`${path}.table`, table(maxRows, d), [maxRows, d]);
  const length = g.op('Shape', [x], { start: attr.int(1), end: attr.int(2) }); // [T]
  return g.op('Add', [x, g.op('Slice', [full, g.int64('starts', [0]), length, g.int64('axes', [0])])]);
}


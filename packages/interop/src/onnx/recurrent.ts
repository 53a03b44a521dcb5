// Recurrent layers as ONNX's LSTM/GRU/RNN operators: gates reordered from Keras' order, the
// fused op over a whole sequence, or (with a padding mask) one op per step, unrolled.
import { tf } from '@tensorloom/core';
import { GRU, LSTM } from '@tensorloom/layers';
import type { ActivationName, SimpleRNN } from '@tensorloom/layers';
import { attr } from './graph.js';
import type { GraphBuilder } from './graph.js';
import { activationName, unsupported, values } from './emit.js';
import type { ConvertContext } from './emit.js';

/** Recurrent gate blocks of `[rows, gates·units]` reordered (ONNX wants `[gates·units, rows]`). */
function gateMatrix(t: tf.Tensor, order: readonly number[], units: number): Float32Array {
  return values(() => {
    const blocks = tf.split(t, t.shape[t.rank - 1]! / units, -1);
    return tf.transpose(tf.concat(order.map((i) => blocks[i]!), -1)); // (gates·units, rows)
  });
}

/**
 * The activations ONNX's recurrent ops take, with their default alpha/beta, which match the
 * library's (HardSigmoid 0.2x + 0.5 clipped, Elu α = 1); `linear` is Affine (α = 1, β = 0).
 */
const ONNX_ACTIVATION: Partial<Record<ActivationName, string>> = {
  tanh: 'Tanh', sigmoid: 'Sigmoid', relu: 'Relu', hardSigmoid: 'HardSigmoid', elu: 'Elu', softsign: 'Softsign', softplus: 'Softplus',
};

export interface RecurrentParts {
  kind: 'LSTM' | 'GRU' | 'RNN';
  gates: number;
  w: Float32Array;
  r: Float32Array;
  b: Float32Array;
  activations: string[];
  linearBeforeReset: number | null;
}

/** One recurrent layer's ONNX weights (gates reordered, `[gates·H, in]` rows) and attributes. */
export function recurrentParts(layer: LSTM | GRU | SimpleRNN, ctx: ConvertContext, allowState = false): RecurrentParts {
  const c = layer.config;
  if (c.returnState && !allowState) unsupported(ctx, layer, 'has returnState; export the layer without it');
  const units = c.units;
  const kind = layer instanceof LSTM ? 'LSTM' : layer instanceof GRU ? 'GRU' : 'RNN';
  const gates = kind === 'LSTM' ? 4 : kind === 'GRU' ? 3 : 1;
  // Keras gate order: LSTM i, f, c, o (ONNX i, o, f, c); GRU z, r, h (ONNX z, r, h).
  const order = kind === 'LSTM' ? [0, 3, 1, 2] : kind === 'GRU' ? [0, 1, 2] : [0];
  const activations = (kind === 'RNN' ? [c.activation] : [(layer as LSTM | GRU).recurrentActivation, c.activation, ...(kind === 'LSTM' ? [c.activation] : [])])
    .map((a) => {
      const n = activationName(a);
      const onnx = n === null ? undefined : ONNX_ACTIVATION[n];
      if (onnx === undefined) unsupported(ctx, layer, `activation ${n ?? 'function'} has no ONNX ${kind} equivalent; use one of ${Object.keys(ONNX_ACTIVATION).join(', ')}`);
      return onnx;
    });
  const bias = new Float32Array(2 * gates * units);
  if (layer.bias !== null) {
    const reorder = (t: tf.Tensor): Float32Array => values(() => {
      const blocks = tf.split(t, gates, -1);
      return tf.concat(order.map((i) => blocks[i]!), -1);
    });
    if (layer.bias.rank === 2) {
      // GRU resetAfter: [input bias; recurrent bias].
      const [wb, rb] = tf.unstack(layer.bias);
      bias.set(reorder(wb!), 0);
      bias.set(reorder(rb!), gates * units);
      tf.dispose([wb!, rb!]);
    } else {
      bias.set(reorder(layer.bias), 0);
    }
  }
  return {
    kind, gates, activations,
    w: gateMatrix(layer.kernel!, order, units),
    r: gateMatrix(layer.recurrentKernel!, order, units),
    b: bias,
    linearBeforeReset: kind === 'GRU' ? ((layer as GRU).resetAfter ? 1 : 0) : null,
  };
}

const concatArrays = (a: Float32Array, b: Float32Array): Float32Array => {
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
};

/**
 * Emits ONNX's LSTM/GRU/RNN over `x` `[B, T, F]` for one direction (`forward`, or `reverse`
 * for goBackwards) or both (`bidirectional`, forward weights first); returns Y `[T, D, B, H]`,
 * Y_h `[D, B, H]` and (LSTM) Y_c `[D, B, H]`.
 */
export function emitRecurrent(g: GraphBuilder, x: string, parts: RecurrentParts[], units: number, features: number, direction: string, path: string): [string, string, string | null] {
  const { kind, gates } = parts[0]!;
  const dirs = parts.length;
  const join = (pick: (p: RecurrentParts) => Float32Array): Float32Array => parts.map(pick).reduce(concatArrays);
  const w = g.constant(`${path}.W`, join((p) => p.w), [dirs, gates * units, features]);
  const r = g.constant(`${path}.R`, join((p) => p.r), [dirs, gates * units, units]);
  const b = g.constant(`${path}.B`, join((p) => p.b), [dirs, 2 * gates * units]);
  const attrs = rnnAttrs(parts, units, direction);
  const xt = g.op('Transpose', [x], { perm: attr.ints([1, 0, 2]) }); // (T, B, F)
  const [y, yh, yc] = g.node(kind, [xt, w, r, b], attrs, kind === 'LSTM' ? 3 : 2);
  return [y!, yh!, yc ?? null];
}

function rnnAttrs(parts: RecurrentParts[], units: number, direction: string): Record<string, ReturnType<typeof attr.int>> {
  return {
    hidden_size: attr.int(units),
    direction: attr.string(direction),
    activations: attr.strings(parts.flatMap((p) => p.activations)),
    ...(parts[0]!.linearBeforeReset !== null ? { linear_before_reset: attr.int(parts[0]!.linearBeforeReset) } : {}),
  };
}

/** The result of an unrolled masked scan: each step's output `[1, B, H]` in input order and the final states. */
export interface MaskedScan {
  /** Each step's output `[1, B, H]`, or (with `sequence`) one `[T, B, H]` of every step. */
  outputs: string[];
  h: string;
  c: string | null;
  sequence?: boolean;
}

/**
 * One recurrent direction unrolled over a known number of steps, each step ONNX's own
 * LSTM/GRU/RNN over one time step from the previous states; a padded step keeps the states
 * (`h = m·new + (1 - m)·old`, exact for m ∈ {0, 1}), as the library's masked scan does.
 * `x` `[B, T, F]`, `mask` `[B, T]` float 0/1 or `null`; `initial` states `[1, B, H]` or none.
 */
export function emitMaskedScan(
  g: GraphBuilder, x: string, mask: string | null, parts: RecurrentParts, units: number, features: number, steps: number | null, reverse: boolean, path: string,
  initial: { h: string; c: string | null } | null = null,
): MaskedScan {
  if (steps === null) return emitLoopScan(g, x, mask, parts, units, features, reverse, path);
  const { kind, gates } = parts;
  const w = g.constant(`${path}.W`, parts.w, [1, gates * units, features]);
  const r = g.constant(`${path}.R`, parts.r, [1, gates * units, units]);
  const b = g.constant(`${path}.B`, parts.b, [1, 2 * gates * units]);
  const attrs = rnnAttrs([parts], units, 'forward');
  const xt = g.op('Transpose', [x], { perm: attr.ints([1, 0, 2]) }); // (T, B, F)
  const mt = mask === null ? null : g.op('Unsqueeze', [g.op('Transpose', [mask], { perm: attr.ints([1, 0]) }), g.int64('axes', [2])]); // (T, B, 1)
  const at = (v: string, t: number): string => g.op('Slice', [v, g.int64('starts', [t]), g.int64('ends', [t + 1]), g.int64('axes', [0])]);
  let h: string | null = initial?.h ?? null;
  let c: string | null = initial?.c ?? null;
  const outputs: string[] = new Array<string>(steps);
  for (let i = 0; i < steps; i++) {
    const t = reverse ? steps - 1 - i : i;
    const inputs = [at(xt, t), w, r, b];
    if (h !== null) inputs.push('', h, ...(kind === 'LSTM' && c !== null ? [c] : []));
    const outs = g.node(kind, inputs, attrs, kind === 'LSTM' ? 3 : 2);
    let nh = outs[1]!;
    let nc = kind === 'LSTM' ? outs[2]! : null;
    if (mt !== null) {
      const m = at(mt, t); // (1, B, 1)
      const keep = g.op('Sub', [g.constant('one', [1], []), m]);
      const blend = (next: string, old: string | null): string => (old === null ? g.op('Mul', [next, m]) : g.op('Add', [g.op('Mul', [next, m]), g.op('Mul', [old, keep])]));
      nh = blend(nh, h);
      if (nc !== null) nc = blend(nc, c);
    }
    h = nh;
    c = nc;
    outputs[t] = h;
  }
  return { outputs, h: h!, c };
}

/**
 * The masked scan for a length known only at run time: an ONNX Loop over the steps whose body
 * runs the one-step op and keeps the states over padded steps, as {@link emitMaskedScan}
 * does unrolled. Returns the whole sequence `[T, 1, B, H]` (in input order) as one output.
 */
function emitLoopScan(g: GraphBuilder, x: string, mask: string | null, parts: RecurrentParts, units: number, features: number, reverse: boolean, path: string): MaskedScan {
  const { kind, gates } = parts;
  const lstm = kind === 'LSTM';
  const w = g.constant(`${path}.W`, parts.w, [1, gates * units, features]);
  const r = g.constant(`${path}.R`, parts.r, [1, gates * units, units]);
  const b = g.constant(`${path}.B`, parts.b, [1, 2 * gates * units]);
  const attrs = rnnAttrs([parts], units, 'forward');
  const xt = g.op('Transpose', [x], { perm: attr.ints([1, 0, 2]) }); // (T, B, F)
  const mt = mask === null ? null : g.op('Transpose', [mask], { perm: attr.ints([1, 0]) }); // (T, B)
  const count = g.op('Shape', [x], { start: attr.int(1), end: attr.int(2) }); // [T]
  const trips = g.op('Squeeze', [count]); // T, a scalar
  const last = g.op('Sub', [trips, g.int64('one', [1], [])]);
  const batch = g.op('Shape', [x], { start: attr.int(0), end: attr.int(1) }); // [B]
  const zeros = g.op('Expand', [g.constant('zeros', new Float32Array(units), [1, 1, units]), g.op('Concat', [g.int64('one', [1]), batch, g.int64('units', [units])], { axis: attr.int(0) })]);
  const state = { elemType: 'float32' as const, dims: null };
  const scalar = (elemType: 'int64' | 'bool') => ({ elemType, dims: [] as number[] });
  const body = g.subgraph(`${path.replace(/\W/g, '_')}_step`, [scalar('int64'), scalar('bool'), state, ...(lstm ? [state] : [])], [scalar('bool'), state, ...(lstm ? [state] : []), state], ([i, cond, h, c]) => {
    const t = reverse ? g.op('Sub', [last, i!]) : i!;
    const xs = g.op('Unsqueeze', [g.op('Gather', [xt, t], { axis: attr.int(0) }), g.int64('axes', [0])]); // (1, B, F)
    const outs = g.node(kind, [xs, w, r, b, '', h!, ...(lstm ? [c!] : [])], attrs, lstm ? 3 : 2);
    let nh = outs[1]!;
    let nc = lstm ? outs[2]! : null;
    if (mt !== null) {
      const m = g.op('Unsqueeze', [g.op('Gather', [mt, t], { axis: attr.int(0) }), g.int64('axes', [0, 2])]); // (1, B, 1)
      const keep = g.op('Sub', [g.constant('one', [1], []), m]);
      const blend = (next: string, old: string): string => g.op('Add', [g.op('Mul', [next, m]), g.op('Mul', [old, keep])]);
      nh = blend(nh, h!);
      if (nc !== null) nc = blend(nc, c!);
    }
    return [cond!, nh, ...(nc !== null ? [nc] : []), nh];
  });
  const outs = g.node('Loop', [trips, '', zeros, ...(lstm ? [zeros] : [])], { body }, lstm ? 3 : 2);
  const ys = outs[outs.length - 1]!; // (T, 1, B, H), in the order visited
  const ordered = reverse
    ? g.op('Slice', [ys, g.int64('starts', [-1]), g.int64('ends', [-(2 ** 53)]), g.int64('axes', [0]), g.int64('steps', [-1])])
    : ys;
  return { outputs: [g.op('Squeeze', [ordered, g.int64('axes', [1])])], h: outs[0]!, c: lstm ? outs[1]! : null, sequence: true };
}

/** The longest known length a per-step recurrence is unrolled for; past it (or unknown) it is an ONNX Loop, whose graph does not grow with the length. */
export const UNROLL_LIMIT = 32;

/** The number of steps to unroll (a known length up to {@link UNROLL_LIMIT}), else `null`: an ONNX Loop. */
export const unrolledSteps = (length: number | null | undefined): number | null =>
  typeof length === 'number' && length <= UNROLL_LIMIT ? length : null;

/** Stacks per-step outputs `[1, B, H]` into `[B, T, H]`. */
export function stackSteps(g: GraphBuilder, outputs: readonly string[] | MaskedScan): string {
  if (!Array.isArray(outputs)) {
    const scan = outputs as MaskedScan;
    if (scan.sequence) return g.op('Transpose', [scan.outputs[0]!], { perm: attr.ints([1, 0, 2]) });
    return stackSteps(g, scan.outputs);
  }
  return g.op('Transpose', [g.op('Concat', [...outputs], { axis: attr.int(0) })], { perm: attr.ints([1, 0, 2]) });
}


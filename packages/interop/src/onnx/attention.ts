// Multi-head attention and the transformer layers as ONNX nodes: projections as MatMul on
// the `[E, H·D]` view of each MultiAxisDense kernel, heads by Reshape + Transpose.
import { tf } from '@tensorloom/core';
import type { LayerNorm, MultiHeadAttention, TransformerDecoderLayer, TransformerEncoderLayer } from '@tensorloom/layers';
import { attr } from './graph.js';
import { reduce } from './emit.js';
import type { GraphBuilder } from './graph.js';

/** The float32 values of a tensor computed by `fn` (disposed afterwards). */
function values(fn: () => tf.Tensor): Float32Array {
  const t = tf.tidy(fn);
  const out = Float32Array.from(t.dataSync() as Float32Array);
  t.dispose();
  return out;
}

/** x `[B, T, E]` → `[B, H, T, D]` (or `[B, H, D, T]` when `transposed`) through a `[E, H, D]` projection. */
function heads(g: GraphBuilder, x: string, proj: NonNullable<MultiHeadAttention['query']>, path: string, transposed: boolean): string {
  const k = proj.kernel!;
  const [e, h, d] = k.shape as [number, number, number];
  let y = g.op('MatMul', [x, g.constant(`${path}.kernel`, values(() => tf.reshape(k, [e, h * d])), [e, h * d])]);
  if (proj.bias !== null) y = g.op('Add', [y, g.constant(`${path}.bias`, values(() => tf.reshape(proj.bias!, [h * d])), [h * d])]);
  const split = g.op('Reshape', [y, g.int64('shape', [0, 0, h, d])]); // (B, T, H, D)
  return g.op('Transpose', [split], { perm: attr.ints(transposed ? [0, 2, 3, 1] : [0, 2, 1, 3]) });
}

/** The masks of one attention call: float32 0/1 (1 = attend), each optional. */
export interface AttentionMasks {
  /** Key padding `[B, S]`. */
  keyMask?: string | null;
  /** Full mask `[B, T, S]`. */
  attentionMask?: string | null;
  /** Query `i` attends only to keys `j ≤ i`, built in the graph from the lengths (any length). */
  causal?: boolean;
}

/** The causal mask `[T, S]` (1 where `j ≤ i`) of queries `q` `[B, …, T, ·]` and keys `kT` `[B, …, ·, S]`, from their runtime shapes. */
function causalMask(g: GraphBuilder, q: string, kT: string): string {
  const zero = g.int64('zero', [0], []);
  const one = g.int64('one', [1], []);
  const size = (x: string, axis: number): string => g.op('Squeeze', [g.op('Shape', [x], { start: attr.int(axis), end: attr.int(axis + 1) })]);
  const rows = g.op('Unsqueeze', [g.op('Range', [zero, size(q, 2), one]), g.int64('axes', [1])]); // (T, 1)
  const cols = g.op('Unsqueeze', [g.op('Range', [zero, size(kT, 3), one]), g.int64('axes', [0])]); // (1, S)
  return g.op('Cast', [g.op('LessOrEqual', [cols, rows])], { to: attr.int(1) }); // (T, S)
}

/**
 * Multi-head attention of queries `xq` `[B, T, Fq]` over keys `xk` and values `xv` `[B, S, F]`,
 * with the library's masking: logits + (allowed - 1)·1e9, softmax, and rows with no allowed
 * key zeroed.
 */
export function emitAttention(g: GraphBuilder, xq: string, xk: string, mha: MultiHeadAttention, path: string, masks: AttentionMasks = {}, xv: string = xk): string {
  const [, h, dk] = mha.query!.kernel!.shape as [number, number, number];
  const q = heads(g, xq, mha.query!, `${path}.query`, false); // (B, H, T, Dk)
  const kT = heads(g, xk, mha.key!, `${path}.key`, true); // (B, H, Dk, S)
  const v = heads(g, xv, mha.value!, `${path}.value`, false); // (B, H, S, Dv)
  let logits = g.op('MatMul', [g.op('Mul', [q, g.constant('scale', [1 / Math.sqrt(dk)], [])]), kT]); // (B, H, T, S)
  const parts: string[] = []; // each broadcast against (B, H, T, S)
  if (masks.keyMask) parts.push(g.op('Unsqueeze', [masks.keyMask, g.int64('axes', [1, 2])])); // (B, 1, 1, S)
  if (masks.attentionMask) parts.push(g.op('Unsqueeze', [masks.attentionMask, g.int64('axes', [1])])); // (B, 1, T, S)
  if (masks.causal) parts.push(causalMask(g, q, kT)); // (T, S)
  const allowed = parts.length === 0 ? null : parts.reduce((a, b) => g.op('Mul', [a, b]));
  if (allowed !== null) {
    logits = g.op('Add', [logits, g.op('Mul', [g.op('Sub', [allowed, g.constant('one', [1], [])]), g.constant('masked_logit', [1e9], [])])]);
  }
  let scores = g.op('Softmax', [logits], { axis: attr.int(-1) });
  // A row with every key masked attends to nothing, as the library does.
  if (allowed !== null) scores = g.op('Mul', [scores, reduce(g, 'ReduceMax', allowed, [-1], true)]);
  const out = g.op('Transpose', [g.op('MatMul', [scores, v])], { perm: attr.ints([0, 2, 1, 3]) }); // (B, T, H, Dv)
  const o = mha.output!.kernel!; // (H, Dv, O)
  const [, dv, od] = o.shape as [number, number, number];
  const merged = g.op('Reshape', [out, g.int64('shape', [0, 0, h * dv])]);
  let y = g.op('MatMul', [merged, g.constant(`${path}.output.kernel`, values(() => tf.reshape(o, [h * dv, od])), [h * dv, od])]);
  if (mha.output!.bias !== null) y = g.op('Add', [y, g.constant(`${path}.output.bias`, values(() => mha.output!.bias!.clone()), [od])]);
  return y;
}

/** A LayerNormalization over the last axis. */
export function emitLayerNorm(g: GraphBuilder, x: string, norm: LayerNorm, path: string): string {
  const n = norm.gamma?.shape[0] ?? norm.beta!.shape[0]!;
  const inputs = [x, g.constant(`${path}.gamma`, norm.gamma === null ? new Float32Array(n).fill(1) : values(() => norm.gamma!.clone()), [n])];
  if (norm.beta !== null) inputs.push(g.constant(`${path}.beta`, values(() => norm.beta!.clone()), [n]));
  return g.op('LayerNormalization', inputs, { axis: attr.int(-1), epsilon: attr.float(norm.config.epsilon) });
}

/** Post-norm `LN1(x + SA(x))`, `LN2(x + FFN(x))`, or pre-norm `x + SA(LN1(x))`, `x + FFN(LN2(x))`. */
export function emitEncoderLayer(
  g: GraphBuilder, x: string, layer: TransformerEncoderLayer, path: string,
  ffn: (x: string, dense: 'ffn1' | 'ffn2') => string, keyMask: string | null = null,
): string {
  const sa = (v: string): string => emitAttention(g, v, v, layer.selfAttention!, `${path}.self_attn`, { keyMask });
  const ff = (v: string): string => ffn(ffn(v, 'ffn1'), 'ffn2');
  const n1 = (v: string): string => emitLayerNorm(g, v, layer.norm1!, `${path}.norm1`);
  const n2 = (v: string): string => emitLayerNorm(g, v, layer.norm2!, `${path}.norm2`);
  if (layer.config.normFirst) {
    const a = g.op('Add', [x, sa(n1(x))]);
    return g.op('Add', [a, ff(n2(a))]);
  }
  const a = n1(g.op('Add', [x, sa(x)]));
  return n2(g.op('Add', [a, ff(a)]));
}

/**
 * A decoder layer over `target` `[B, T, D]` and `memory` `[B, S, F]`: causal self-attention
 * (with the target's key mask), cross-attention (with the memory's), the FFN; post- or pre-norm.
 */
export function emitDecoderLayer(
  g: GraphBuilder, target: string, memory: string, layer: TransformerDecoderLayer, path: string,
  ffn: (x: string, dense: 'ffn1' | 'ffn2') => string, targetMask: string | null, memoryMask: string | null,
): string {
  const sa = (v: string): string => emitAttention(g, v, v, layer.selfAttention!, `${path}.self_attn`, { keyMask: targetMask, causal: true });
  const ca = (v: string): string => emitAttention(g, v, memory, layer.crossAttention!, `${path}.cross_attn`, { keyMask: memoryMask });
  const ff = (v: string): string => ffn(ffn(v, 'ffn1'), 'ffn2');
  const n = (v: string, i: 1 | 2 | 3): string => emitLayerNorm(g, v, layer[`norm${i}`]!, `${path}.norm${i}`);
  if (layer.config.normFirst) {
    const h1 = g.op('Add', [target, sa(n(target, 1))]);
    const h2 = g.op('Add', [h1, ca(n(h1, 2))]);
    return g.op('Add', [h2, ff(n(h2, 3))]);
  }
  const h1 = n(g.op('Add', [target, sa(target)]), 1);
  const h2 = n(g.op('Add', [h1, ca(h1)]), 2);
  return n(g.op('Add', [h2, ff(h2)]), 3);
}

// Multi-head attention and the transformer layers as ONNX nodes: projections as MatMul on
// the `[E, H·D]` view of each MultiAxisDense kernel, heads by Reshape + Transpose.
import { tf } from '@tensorloom/core';
import type { LayerNorm, MultiHeadAttention, TransformerEncoderLayer } from '@tensorloom/layers';
import { attr } from './graph.js';
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

/**
 * Multi-head attention of queries `xq` over keys/values `xkv`, both `[B, len, E]`, with an
 * optional causal mask (`causalLength`: the static query = key length).
 */
export function emitAttention(g: GraphBuilder, xq: string, xkv: string, mha: MultiHeadAttention, path: string, causalLength: number | null): string {
  const [, h, dk] = mha.query!.kernel!.shape as [number, number, number];
  const q = heads(g, xq, mha.query!, `${path}.query`, false); // (B, H, T, Dk)
  const kT = heads(g, xkv, mha.key!, `${path}.key`, true); // (B, H, Dk, S)
  const v = heads(g, xkv, mha.value!, `${path}.value`, false); // (B, H, S, Dv)
  let logits = g.op('MatMul', [g.op('Mul', [q, g.constant('scale', [1 / Math.sqrt(dk)], [])]), kT]); // (B, H, T, S)
  if (causalLength !== null) {
    const t = causalLength;
    const mask = new Float32Array(t * t);
    for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) mask[i * t + j] = -1e9; // the library's masked logit
    logits = g.op('Add', [logits, g.constant(`${path}.causal_mask`, mask, [t, t])]);
  }
  const scores = g.op('Softmax', [logits], { axis: attr.int(-1) });
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
  ffn: (x: string, dense: 'ffn1' | 'ffn2') => string,
): string {
  const sa = (v: string): string => emitAttention(g, v, v, layer.selfAttention!, `${path}.self_attn`, null);
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

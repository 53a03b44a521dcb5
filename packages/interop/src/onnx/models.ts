// ONNX converters for the architectures of @tensorloom/models whose forward is more than a
// chain of layers: residual blocks (ResNet basic and bottleneck, MobileNetV2's inverted
// residual). A BackboneModel (ResNet, MobileNetV2, VGG, LeNet-5, ...) is the chain of its
// children, in order.
import { ConfigError, formatShape, tf } from '@tensorloom/core';
import {
  Autoencoder, BackboneModel, Perceptron, RBFNetwork, Seq2SeqLSTM, Seq2SeqTransformer, TransformerClassifier, VariationalAutoencoder, VisionTransformer,
} from '@tensorloom/models';
import { BatchNorm, sinusoidalPositionalEncoding } from '@tensorloom/layers';
import type { ActivationName, Dense, Embedding, LayerNorm, LSTM, Module, MultiHeadAttention, PositionalEmbedding, Shape } from '@tensorloom/layers';
import { emitAttention, emitLayerNorm } from './attention.js';
import { attr } from './graph.js';
import type { GraphBuilder } from './graph.js';
import { addTimeTable, emitActivation, maskFromIds, reduce, single, values } from './emit.js';
import type { ConvertContext, OnnxInput, OnnxValue } from './emit.js';
import { emitMaskedScan, recurrentParts, stackSteps, unrolledSteps } from './recurrent.js';
import { layerGraphConverter } from './layer-graph.js';


// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = Module<any, any>;

/** Converts a model's child under its key. */
type ConvertChild = (child: AnyModule, x: OnnxInput, ctx: ConvertContext) => OnnxValue;

/** A model converter: the model, its input (one value or named ones), the context, the child converter. */
type ModelConverter = (layer: AnyModule, x: OnnxInput, ctx: ConvertContext, convert: ConvertChild) => OnnxValue;

/** A converter of single-input models. */
const one = (fn: (layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild) => OnnxValue): ModelConverter =>
  (layer, x, ctx, convert) => fn(layer, single(ctx, layer, x), ctx, convert);

const childCtx = (ctx: ConvertContext, key: string): ConvertContext => ({ ...ctx, path: ctx.path === '' ? key : `${ctx.path}.${key}` });

function chain(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  let v = x;
  for (const [key, child] of layer.namedChildren()) v = convert(child, v, childCtx(ctx, key));
  return v;
}

/**
 * ResNet blocks: the main path's convolutions in groups that each end with a BatchNorm,
 * ReLU between groups; then ReLU(main + shortcut), the shortcut being `downsample`, the
 * input, or (CIFAR option A) the input subsampled and zero-padded in channels.
 */
function residualBlock(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const { g } = ctx;
  const children = [...layer.namedChildren()];
  let v = x;
  let first = true;
  let pendingRelu = false;
  for (const [key, child] of children) {
    if (key === 'downsample') continue;
    if (pendingRelu) {
      v = { name: g.op('Relu', [v.name]), shape: v.shape };
      pendingRelu = false;
    }
    v = convert(child, v, childCtx(ctx, key));
    if (child instanceof BatchNorm) pendingRelu = true;
    first = false;
  }
  void first;
  const downsample = layer.namedChildren().get('downsample');
  const block = layer as unknown as { padChannels: number; stride: number };
  let shortcut: string;
  if (downsample !== undefined) {
    shortcut = convert(downsample, x, childCtx(ctx, 'downsample')).name;
  } else if (block.padChannels === 0 && block.stride === 1) {
    shortcut = x.name;
  } else {
    // x[:, ::s, ::s, :] then zero channels split before/after, as the block does.
    const nchw = g.op('Transpose', [x.name], { perm: attr.ints([0, 3, 1, 2]) });
    const sub = block.stride === 1 ? nchw : g.op('AveragePool', [nchw], { kernel_shape: attr.ints([1, 1]), strides: attr.ints([block.stride, block.stride]) });
    const before = Math.floor(block.padChannels / 2);
    const padded = g.op('Pad', [sub, g.int64('pads', [0, before, 0, 0, 0, block.padChannels - before, 0, 0])]);
    shortcut = g.op('Transpose', [padded], { perm: attr.ints([0, 2, 3, 1]) });
  }
  return { name: g.op('Relu', [g.op('Add', [v.name, shortcut])]), shape: v.shape };
}

function invertedResidual(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const y = chain(layer, x, ctx, convert);
  return (layer as unknown as { residual: boolean }).residual ? { name: ctx.g.op('Add', [x.name, y.name]), shape: y.shape } : y;
}

/** The model converter for `layer`, or `null` when it is not one of the models' own modules. */
export function modelConverter(layer: AnyModule): ModelConverter | null {
  const graph = layerGraphConverter(layer); // a LayerGraph (tfjs-layers functional model) and its merges
  if (graph !== null) return graph;
  if (layer.className === 'BasicBlock' || layer.className === 'Bottleneck') return one(residualBlock);
  if (layer.className === 'InvertedResidual') return one(invertedResidual);
  if (layer.className === 'GPTBlock') return one(gptBlock);
  if (layer.className === 'RNNClassifier') return one(chain);
  if (layer.className === 'UNet') return one(unet);
  if (layer.className === 'CausalLM') return one(causalLm);
  if (layer instanceof VisionTransformer) return one(visionTransformer);
  if (layer instanceof TransformerClassifier) return one(transformerClassifier);
  if (layer instanceof Seq2SeqTransformer) return seq2seqTransformer;
  if (layer instanceof Seq2SeqLSTM) return seq2seqLstm;
  if (layer instanceof Autoencoder) return one(chain);
  if (layer instanceof VariationalAutoencoder) return one(vae);
  if (layer instanceof RBFNetwork) return one(rbfNetwork);
  if (layer instanceof Perceptron) return one(perceptron);
  if (layer instanceof BackboneModel) return one(chain);
  return null;
}

// ---------------------------------------------------------------- GPT (CausalLM, GPTBlock)

interface GptBlockLike {
  ln1: LayerNorm;
  ln2: LayerNorm;
  fc: Dense;
  proj: Dense | null;
  attention: MultiHeadAttention | null;
  config: { activation: ActivationName };
}

interface CausalLmLike {
  config: { positions: 'learned' | 'sinusoidal'; dModel: number; contextLength: number };
  wte: Embedding;
  wpe: PositionalEmbedding | null;
  blocks: readonly AnyModule[];
  lnF: LayerNorm;
  lmHead: Dense | null;
}

/** Pre-norm GPT block: `h = x + attn(LN1(x))` (causal), `h + proj(act(fc(LN2(h))))`. */
function gptBlock(layer: AnyModule, x: OnnxValue, ctx: ConvertContext): OnnxValue {
  const { g, path } = ctx;
  const b = layer as unknown as GptBlockLike;
  const h1 = emitLayerNorm(g, x.name, b.ln1, `${path}.ln_1`);
  const h = g.op('Add', [x.name, emitAttention(g, h1, h1, b.attention!, `${path}.attn`, { causal: true })]);
  const lin = (v: string, d: Dense, name: string): string => {
    const y = g.op('MatMul', [v, g.constant(`${path}.${name}.kernel`, values(() => d.kernel!.clone()), d.kernel!.shape)]);
    return d.bias === null ? y : g.op('Add', [y, g.constant(`${path}.${name}.bias`, values(() => d.bias!.clone()), d.bias.shape)]);
  };
  const hidden = emitActivation(g, lin(emitLayerNorm(g, h, b.ln2, `${path}.ln_2`), b.fc, 'fc'), b.config.activation, ctx, layer);
  return { name: g.op('Add', [h, lin(hidden, b.proj!, 'proj')]), shape: x.shape };
}

/**
 * Token embedding + positions, the blocks, the final norm and the (tied) head. Input: int32
 * ids `[batch, T]`; T may be dynamic (up to `contextLength`): the causal mask is built in the
 * graph from the input's length and the positions are a `contextLength`-row table sliced to it.
 */
function causalLm(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const { g, path } = ctx;
  const m = layer as unknown as CausalLmLike;
  const t = x.shape[1] ?? null;
  const rows = m.config.contextLength;
  if (t !== null && t > rows) throw new ConfigError(`exportOnnx: model '${path}' (CausalLM) sequence length expected at most ${rows} (contextLength), got input ${formatShape(x.shape)}`);
  const d = m.config.dModel;
  const e = m.wte.embeddings!;
  const table = g.constant(`${path}.wte`, values(() => e.clone()), e.shape);
  const tokens = g.op('Gather', [table, x.name], { axis: attr.int(0) }); // (B, T, D)
  const positions = (n: number): Float32Array => (m.wpe !== null ? values(() => tf.slice(m.wpe!.embeddings!, [0, 0], [n, d])) : values(() => sinusoidalPositionalEncoding(n, d)));
  const shape: Shape = [x.shape[0] ?? null, t, d];
  let v: OnnxValue = { name: addTimeTable(g, tokens, shape, `${path}.positions`, (n) => positions(n), rows)!, shape };
  m.blocks.forEach((block, i) => {
    v = convert(block, v, { ...ctx, path: `${path}.h.${i}` });
  });
  const normed = emitLayerNorm(g, v.name, m.lnF, `${path}.ln_f`);
  const head = m.lmHead === null
    ? g.op('MatMul', [normed, g.op('Transpose', [table], { perm: attr.ints([1, 0]) })]) // tied: (B, T, D)·(D, V)
    : g.op('MatMul', [normed, g.constant(`${path}.lm_head.kernel`, values(() => m.lmHead!.kernel!.clone()), m.lmHead.kernel!.shape)]);
  return { name: head, shape: [x.shape[0] ?? null, t, e.shape[0]!] };
}

/**
 * U-Net: `down<i>` blocks each followed by `pool<i>`, the bottleneck, then for each level
 * `up<i>`, the skip (centre-cropped to the upsampled size) concatenated before it, `dec<i>`;
 * then the optional 1×1 `head`. Needs known spatial sizes (for the crops).
 */
function unet(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const { g } = ctx;
  const children = layer.namedChildren();
  const depth = (layer as unknown as { config: { depth: number } }).config.depth;
  if (x.shape.slice(1, 3).some((d) => typeof d !== 'number')) {
    throw new ConfigError(`exportOnnx: model '${ctx.path}' (UNet) needs known spatial sizes, got input ${formatShape(x.shape)}`);
  }
  const run = (key: string, v: OnnxValue): OnnxValue => convert(children.get(key)!, v, childCtx(ctx, key));
  let h = x;
  const skips: OnnxValue[] = [];
  for (let i = 1; i <= depth; i++) {
    h = run(`down${i}`, h);
    skips.push(h);
    h = run(`pool${i}`, h);
  }
  h = run('bottleneck', h);
  for (let i = depth; i >= 1; i--) {
    h = run(`up${i}`, h);
    const skip = skips[i - 1]!;
    const [sh, sw] = [skip.shape[1] as number, skip.shape[2] as number];
    const [th, tw] = [h.shape[1] as number, h.shape[2] as number];
    let cropped = skip.name;
    if (sh !== th || sw !== tw) {
      const top = Math.floor((sh - th) / 2);
      const left = Math.floor((sw - tw) / 2);
      cropped = g.op('Slice', [skip.name, g.int64('starts', [top, left]), g.int64('ends', [top + th, left + tw]), g.int64('axes', [1, 2])]);
    }
    const channels = (skip.shape[3] as number) + (h.shape[3] as number);
    h = run(`dec${i}`, { name: g.op('Concat', [cropped, h.name], { axis: attr.int(-1) }), shape: [h.shape[0] ?? null, th, tw, channels] });
  }
  return children.has('head') ? run('head', h) : h;
}

/** A float32 constant of a tensor computed by `fn`. */
const tensorConstant = (g: GraphBuilder, name: string, fn: () => tf.Tensor): string => {
  const t = tf.tidy(fn);
  const out = g.constant(name, Float32Array.from(t.dataSync() as Float32Array), t.shape);
  t.dispose();
  return out;
};

/** `x·kernel (+ bias)` of a Dense's weights without its activation. */
function linear(g: GraphBuilder, x: string, d: Dense, path: string): string {
  const y = g.op('MatMul', [x, tensorConstant(g, `${path}.kernel`, () => d.kernel!.clone())]);
  return d.bias === null ? y : g.op('Add', [y, tensorConstant(g, `${path}.bias`, () => d.bias!.clone())]);
}

/** Row `i` of axis 1: `[B, T, D]` → `[B, D]`. */
const takeStep = (g: GraphBuilder, x: string, i: number): string => g.op('Gather', [x, g.int64('index', [i], [])], { axis: attr.int(1) });

/**
 * ViT: patch embedding (a strided Conv2D), the patches as tokens after the class token, plus
 * the learned positions, the pre-norm encoder, the final norm; the class token (or, without a
 * head, the pooling asked for) to the head.
 */
function visionTransformer(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const { g, path } = ctx;
  const m = layer as VisionTransformer;
  const children = layer.namedChildren();
  const run = (key: string, v: OnnxValue): OnnxValue => convert(children.get(key)!, v, childCtx(ctx, key));
  const d = m.config.dModel;
  const patches = run('patchEmbed', x); // (B, H/p, W/p, d)
  const n = (patches.shape[1] as number) * (patches.shape[2] as number);
  const seq = g.op('Reshape', [patches.name, g.int64('shape', [0, -1, d])]); // (B, N, d)
  const batch = g.op('Shape', [x.name], { start: attr.int(0), end: attr.int(1) });
  const cls = g.op('Expand', [tensorConstant(g, `${path}.classToken`, () => m.classToken!.clone()), g.op('Concat', [batch, g.int64('shape', [1, d])], { axis: attr.int(0) })]);
  const tokens = g.op('Add', [g.op('Concat', [cls, seq], { axis: attr.int(1) }), tensorConstant(g, `${path}.positionEmbedding`, () => m.positionEmbedding!.clone())]);
  let h: OnnxValue = { name: tokens, shape: [x.shape[0] ?? null, n + 1, d] };
  h = run('norm', run('encoder', h));
  const head = children.get('head');
  const pooling = head === undefined ? m.config.pooling : null;
  let pooled: string;
  if (pooling === null || pooling === undefined) pooled = takeStep(g, h.name, 0);
  else {
    const rest = g.op('Slice', [h.name, g.int64('starts', [1]), g.int64('ends', [n + 1]), g.int64('axes', [1])]);
    pooled = reduce(g, pooling === 'avg' ? 'ReduceMean' : 'ReduceMax', rest, [1], false);
  }
  const p: OnnxValue = { name: pooled, shape: [x.shape[0] ?? null, d] };
  return head === undefined ? p : run('head', p);
}

/**
 * TransformerClassifier (BERT-style): token embedding (its padding mask `ids != padId` built in
 * the graph), learned positions (any length up to maxLength), the embedding norm, the encoder
 * layers with that key mask, the final norm; CLS pooling (the first position) or the mean over
 * the real tokens; the classifier.
 */
function transformerClassifier(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const { g } = ctx;
  const m = layer as TransformerClassifier;
  const children = layer.namedChildren();
  const run = (key: string, v: OnnxValue): OnnxValue => convert(children.get(key)!, v, childCtx(ctx, key));
  let h = run('token_embedding', x); // carries the mask when padId is set
  const mask = h.mask ?? null;
  h = run('embedding_norm', run('position_embedding', h));
  m.layers.forEach((l, i) => {
    h = convert(l, { ...h, mask }, childCtx(ctx, `layers.${i}`));
  });
  if (m.finalNorm !== null) h = run('final_norm', h);
  let pooled: string;
  if (m.config.pooling === 'cls') pooled = takeStep(g, h.name, 0);
  else if (mask === null) pooled = reduce(g, 'ReduceMean', h.name, [1], false);
  else {
    const weights = g.op('Unsqueeze', [mask, g.int64('axes', [2])]); // (B, T, 1)
    const sum = reduce(g, 'ReduceSum', g.op('Mul', [h.name, weights]), [1], false); // (B, D)
    pooled = g.op('Div', [sum, g.op('Max', [reduce(g, 'ReduceSum', weights, [1], false), g.constant('one', [1], [])])]); // a row of padding only: zeros
  }
  return run('classifier', { name: pooled, shape: [x.shape[0] ?? null, m.config.dModel], mask: null });
}

/** The `source` and `target` inputs of a seq2seq model, or an error naming what came instead. */
function sourceAndTarget(x: OnnxInput, path: string, kind: string, shapes: string): { source: OnnxValue; target: OnnxValue } {
  const { source, target } = x as { source?: OnnxValue; target?: OnnxValue };
  if (source === undefined || target === undefined || typeof source.name !== 'string' || typeof target.name !== 'string') {
    throw new ConfigError(`exportOnnx: model '${path}' (${kind}) expected the inputs source, target, got ${Array.isArray(x) ? 'a list' : typeof (x as OnnxValue).name === 'string' ? 'one input' : Object.keys(x).join(', ')}`, {
      help: `give inputShape: ${shapes}`,
    });
  }
  return { source, target };
}

/**
 * Seq2SeqTransformer, teacher-forced: inputs `source` and `target` (int32 ids, any lengths up to
 * maxLength); padding masks `ids != padId` built in the graph; the encoder, the decoder (causal,
 * cross-attention over the memory), the (tied) output projection: logits `[B, T, V]`.
 */
function seq2seqTransformer(layer: AnyModule, x: OnnxInput, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const { g, path } = ctx;
  const m = layer as Seq2SeqTransformer;
  const c = m.config;
  const { source, target } = sourceAndTarget(x, path, 'Seq2SeqTransformer', '{ source: [null, null], target: [null, null] }');
  const d = c.dModel;
  const embed = (ids: OnnxValue, table: Embedding, positions: PositionalEmbedding | null, name: string): OnnxValue => {
    const e = g.op('Gather', [tensorConstant(g, `${path}.${name}_embedding`, () => table.embeddings!.clone()), ids.name], { axis: attr.int(0) });
    const scaled = g.op('Mul', [e, g.constant('sqrt_d', [Math.sqrt(d)], [])]);
    const shape: Shape = [ids.shape[0] ?? null, ids.shape[1] ?? null, d];
    const rows = (n: number): Float32Array => positions !== null ? values(() => tf.slice(positions.embeddings!, [0, 0], [n, d])) : values(() => sinusoidalPositionalEncoding(n, d));
    const t = ids.shape[1];
    if (typeof t === 'number' && t > c.maxLength) throw new ConfigError(`exportOnnx: model '${path}' (Seq2SeqTransformer) sequence length expected at most ${c.maxLength} (maxLength), got ${t}`);
    return { name: addTimeTable(g, scaled, shape, `${path}.${name}_positions`, rows, c.maxLength)!, shape };
  };
  const sourceMask = c.padId === null ? null : maskFromIds(g, source.name, c.padId);
  const targetMask = c.padId === null ? null : maskFromIds(g, target.name, c.padId);
  let memory = embed(source, m.sourceEmbedding, m.sourcePositions, 'source');
  m.encoderLayers.forEach((l, i) => {
    memory = convert(l, { ...memory, mask: sourceMask }, childCtx(ctx, `encoder.${i}`));
  });
  if (m.encoderNorm !== null) memory = convert(m.encoderNorm, memory, childCtx(ctx, 'encoder_norm'));
  let h = embed(target, m.targetEmbedding, m.targetPositions, 'target');
  m.decoderLayers.forEach((l, i) => {
    h = convert(l, { target: { ...h, mask: targetMask }, memory: { ...memory, mask: sourceMask } }, childCtx(ctx, `decoder.${i}`));
  });
  if (m.decoderNorm !== null) h = convert(m.decoderNorm, h, childCtx(ctx, 'decoder_norm'));
  const logits = m.outputProjection === null
    ? g.op('MatMul', [h.name, tensorConstant(g, `${path}.target_embedding.T`, () => tf.transpose(m.targetEmbedding.embeddings!))])
    : linear(g, h.name, m.outputProjection, `${path}.output`);
  return { name: logits, shape: [target.shape[0] ?? null, target.shape[1] ?? null, c.targetVocabSize], mask: null };
}

/**
 * Seq2SeqLSTM, teacher-forced: the encoder LSTM over the source (padded steps keep the state),
 * then the decoder over the target's steps, each with its attention (Bahdanau or Luong, padded
 * source positions masked) from the previous state, as the model's own loop does. A known
 * length is unrolled, a dynamic one becomes an ONNX Loop.
 */
function seq2seqLstm(layer: AnyModule, x: OnnxInput, ctx: ConvertContext): OnnxValue {
  const { g, path } = ctx;
  const m = layer as Seq2SeqLSTM;
  const c = m.config;
  const { source, target } = sourceAndTarget(x, path, 'Seq2SeqLSTM', '{ source: [null, S], target: [null, T] }');
  const s = unrolledSteps(source.shape[1]); // unrolled, or an ONNX Loop
  const steps = unrolledSteps(target.shape[1]);
  const u = c.units;
  const a = m.attentionLayers;
  const padId = m.sourceEmbedding.config.padId;
  const mask = padId === null ? null : maskFromIds(g, source.name, padId); // (B, S)
  const embedded = g.op('Gather', [tensorConstant(g, `${path}.source_embedding`, () => m.sourceEmbedding.embeddings!.clone()), source.name], { axis: attr.int(0) });
  const enc = emitMaskedScan(g, embedded, mask, recurrentParts(m.encoder as unknown as LSTM, ctx, true), u, c.embeddingDim, s, false, `${path}.encoder`);
  const memory = stackSteps(g, enc); // (B, S, U)
  const kernel = (d: Dense, name: string): string => tensorConstant(g, `${path}.${name}.kernel`, () => d.kernel!.clone());
  const keys = g.op('MatMul', [memory, c.attention === 'bahdanau' ? kernel(a.key!, 'attention_key') : kernel(a.score!, 'attention_score')]); // (B, S, A|U)
  const context = (scores: string): string => {
    const masked = mask === null ? scores : g.op('Add', [scores, g.op('Mul', [g.op('Sub', [g.constant('one', [1], []), mask]), g.constant('masked', [-1e9], [])])]);
    const w = g.op('Softmax', [masked], { axis: attr.int(-1) }); // (B, S)
    return reduce(g, 'ReduceSum', g.op('Mul', [g.op('Unsqueeze', [w, g.int64('axes', [2])]), memory]), [1], false); // (B, U)
  };
  const targetTable = tensorConstant(g, `${path}.target_embedding`, () => m.targetEmbedding.embeddings!.clone());
  const decoderParts = recurrentParts(m.decoderLstm, ctx);
  const flat = (v: string): string => g.op('Squeeze', [v, g.int64('axes', [0])]); // (1, B, U) → (B, U)
  const lstmStep = (input: string, width: number, state: { h: string; c: string | null }, t: number | string): { h: string; c: string | null } => {
    const r = emitMaskedScan(g, g.op('Unsqueeze', [input, g.int64('axes', [1])]), null, decoderParts, u, width, 1, false, `${path}.decoder.${typeof t === 'number' ? t : 'step'}`, state);
    return { h: r.h, c: r.c };
  };
  const outW = kernel(m.output, 'output');
  const outB = tensorConstant(g, `${path}.output.bias`, () => (m.output.bias === null ? tf.zeros([c.targetVocabSize]) : m.output.bias.clone()));
  const project = (v: string): string => g.op('Add', [g.op('MatMul', [v, outW]), outB]);
  const wq = c.attention === 'bahdanau' ? kernel(a.query!, 'attention_query') : '';
  const wv = c.attention === 'bahdanau' ? kernel(a.v!, 'attention_v') : '';
  const wc = c.attention === 'bahdanau' ? '' : kernel(a.combine!, 'combine');
  /** One decoder step from the target ids of step `t` (a number, or the Loop's counter). */
  const step = (t: number | string, h0: string, c0: string, feed0: string): { h: string; c: string; feed: string; logits: string } => {
    const ids = typeof t === 'number' ? takeStep(g, target.name, t) : g.op('Gather', [target.name, t], { axis: attr.int(1) });
    const y = g.op('Gather', [targetTable, ids], { axis: attr.int(0) }); // (B, E)
    const state = { h: h0, c: c0 };
    if (c.attention === 'bahdanau') {
      const q = g.op('Unsqueeze', [g.op('MatMul', [flat(state.h), wq]), g.int64('axes', [1])]); // (B, 1, A)
      const e = g.op('Squeeze', [g.op('MatMul', [g.op('Tanh', [g.op('Add', [keys, q])]), wv]), g.int64('axes', [2])]); // (B, S)
      const cv = context(e);
      const next = lstmStep(g.op('Concat', [y, cv], { axis: attr.int(1) }), c.embeddingDim + u, state, t);
      return { h: next.h, c: next.c!, feed: cv, logits: project(g.op('Concat', [flat(next.h), cv], { axis: attr.int(1) })) };
    }
    const next = lstmStep(g.op('Concat', [y, feed0], { axis: attr.int(1) }), c.embeddingDim + u, state, t);
    const h = flat(next.h);
    const e = reduce(g, 'ReduceSum', g.op('Mul', [keys, g.op('Unsqueeze', [h, g.int64('axes', [1])])]), [2], false); // (B, S)
    const feed = g.op('Tanh', [g.op('MatMul', [g.op('Concat', [context(e), h], { axis: attr.int(1) }), wc])]);
    return { h: next.h, c: next.c!, feed, logits: project(feed) };
  };
  const feed0 = g.op('Mul', [flat(enc.h), g.constant('zero', [0], [])]); // zeros (B, U)
  let out: string;
  if (steps !== null) {
    let carry = { h: enc.h, c: enc.c!, feed: feed0 };
    const logits: string[] = [];
    for (let t = 0; t < steps; t++) {
      const r = step(t, carry.h, carry.c, carry.feed);
      carry = r;
      logits.push(g.op('Unsqueeze', [r.logits, g.int64('axes', [1])]));
    }
    out = g.op('Concat', logits, { axis: attr.int(1) });
  } else {
    // A dynamic target length: the decoder loop as an ONNX Loop carrying h, c and the fed-back vector.
    const trips = g.op('Squeeze', [g.op('Shape', [target.name], { start: attr.int(1), end: attr.int(2) })]);
    const float = { elemType: 'float32' as const, dims: null };
    const body = g.subgraph(`${path.replace(/\W/g, '_')}_decoder_step`, [{ elemType: 'int64', dims: [] }, { elemType: 'bool', dims: [] }, float, float, float],
      [{ elemType: 'bool', dims: [] }, float, float, float, float], ([i, cond, h, cell, feed]) => {
        const r = step(i!, h!, cell!, feed!);
        return [cond!, r.h, r.c, r.feed, r.logits];
      });
    const outs = g.node('Loop', [trips, '', enc.h, enc.c!, feed0], { body }, 4);
    out = g.op('Transpose', [outs[3]!], { perm: attr.ints([1, 0, 2]) }); // (T, B, V) → (B, T, V)
  }
  return { name: out, shape: [target.shape[0] ?? null, target.shape[1] ?? null, c.targetVocabSize], mask: null };
}

/**
 * VAE, the deterministic reconstruction (what `apply` gives outside training): the encoder,
 * the mean head (z = the posterior mean; no sampling), the decoder. The log-variance head is
 * not needed and left out.
 */
function vae(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const m = layer as VariationalAutoencoder;
  const h = convert(m.encoder, x, childCtx(ctx, 'encoder'));
  return convert(m.decoder, convert(m.meanHead, h, childCtx(ctx, 'mean')), childCtx(ctx, 'decoder'));
}

/** RBF network: `exp(-relu(‖x‖² - 2x·c + ‖c‖²) / 2σ²)` per centre (as gaussianRbf computes it), then the read-out. */
function rbfNetwork(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const { g, path } = ctx;
  const m = layer as RBFNetwork;
  const centres = m.centres!;
  const x2 = reduce(g, 'ReduceSum', g.op('Mul', [x.name, x.name]), [1], true); // (B, 1)
  const cross = g.op('MatMul', [x.name, tensorConstant(g, `${path}.centres.T`, () => tf.transpose(centres))]); // (B, k)
  const c2 = tensorConstant(g, `${path}.centres.sq`, () => tf.reshape(tf.sum(tf.square(centres), 1), [1, -1]));
  const d2 = g.op('Relu', [g.op('Add', [g.op('Sub', [x2, g.op('Mul', [cross, g.constant('two', [2], [])])]), c2])]);
  const denom = tensorConstant(g, `${path}.widths.denom`, () => tf.reshape(tf.mul(2, tf.square(m.widths!)), [1, -1]));
  const phi = g.op('Exp', [g.op('Neg', [g.op('Div', [d2, denom])])]);
  return convert(m.readout, { name: phi, shape: [x.shape[0] ?? null, centres.shape[0]!] }, childCtx(ctx, 'readout'));
}

/** Perceptron: `w·x + b`, then the step (`1` where positive, else `0`) or the sigmoid. */
function perceptron(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const { g } = ctx;
  const m = layer as Perceptron;
  const z = convert(m.fc, x, childCtx(ctx, 'fc'));
  const y = m.output === 'sigmoid' ? g.op('Sigmoid', [z.name]) : g.op('Cast', [g.op('Greater', [z.name, g.constant('zero', [0], [])])], { to: attr.int(1) });
  return { name: y, shape: z.shape };
}

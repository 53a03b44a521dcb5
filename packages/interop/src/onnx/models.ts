// ONNX converters for the architectures of @tensorloom/models whose forward is more than a
// chain of layers: residual blocks (ResNet basic and bottleneck, MobileNetV2's inverted
// residual). A BackboneModel (ResNet, MobileNetV2, VGG, LeNet-5, ...) is the chain of its
// children, in order.
import { ConfigError, formatShape, tf } from '@tensorloom/core';
import { BackboneModel } from '@tensorloom/models';
import { BatchNorm, sinusoidalPositionalEncoding } from '@tensorloom/layers';
import type { ActivationName, Dense, Embedding, LayerNorm, Module, MultiHeadAttention, PositionalEmbedding } from '@tensorloom/layers';
import { emitAttention, emitLayerNorm } from './attention.js';
import { attr } from './graph.js';
import { emitActivation, values } from './emit.js';
import type { ConvertContext, OnnxValue } from './emit.js';


// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModule = Module<any, any>;

/** Converts a model's child under its key. */
type ConvertChild = (child: AnyModule, x: OnnxValue, ctx: ConvertContext) => OnnxValue;

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
export function modelConverter(layer: AnyModule): ((layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild) => OnnxValue) | null {
  if (layer.className === 'BasicBlock' || layer.className === 'Bottleneck') return residualBlock;
  if (layer.className === 'InvertedResidual') return invertedResidual;
  if (layer.className === 'GPTBlock') return gptBlock;
  if (layer.className === 'RNNClassifier') return rnnClassifier;
  if (layer.className === 'UNet') return unet;
  if (layer.className === 'CausalLM') return causalLm;
  if (layer instanceof BackboneModel) return chain;
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
  config: { positions: 'learned' | 'sinusoidal'; dModel: number };
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
  const t = x.shape[1];
  if (typeof t !== 'number') throw new ConfigError(`exportOnnx: layer '${path}' (GPTBlock) needs a known sequence length for its causal mask, got input ${formatShape(x.shape)}`);
  const h1 = emitLayerNorm(g, x.name, b.ln1, `${path}.ln_1`);
  const h = g.op('Add', [x.name, emitAttention(g, h1, h1, b.attention!, `${path}.attn`, t)]);
  const lin = (v: string, d: Dense, name: string): string => {
    const y = g.op('MatMul', [v, g.constant(`${path}.${name}.kernel`, values(() => d.kernel!.clone()), d.kernel!.shape)]);
    return d.bias === null ? y : g.op('Add', [y, g.constant(`${path}.${name}.bias`, values(() => d.bias!.clone()), d.bias.shape)]);
  };
  const hidden = emitActivation(g, lin(emitLayerNorm(g, h, b.ln2, `${path}.ln_2`), b.fc, 'fc'), b.config.activation, ctx, layer);
  return { name: g.op('Add', [h, lin(hidden, b.proj!, 'proj')]), shape: x.shape };
}

/** Token embedding + positions, the blocks, the final norm and the (tied) head. Input: int32 ids `[batch, T]`, T known. */
function causalLm(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const { g, path } = ctx;
  const m = layer as unknown as CausalLmLike;
  const t = x.shape[1];
  if (typeof t !== 'number') throw new ConfigError(`exportOnnx: model '${path}' (CausalLM) needs a known sequence length, got input ${formatShape(x.shape)}`);
  const d = m.config.dModel;
  const e = m.wte.embeddings!;
  const table = g.constant(`${path}.wte`, values(() => e.clone()), e.shape);
  const tokens = g.op('Gather', [table, x.name], { axis: attr.int(0) }); // (B, T, D)
  const positions = m.wpe !== null
    ? values(() => tf.slice(m.wpe!.embeddings!, [0, 0], [t, d]))
    : values(() => sinusoidalPositionalEncoding(t, d));
  let v: OnnxValue = { name: g.op('Add', [tokens, g.constant(`${path}.positions`, positions, [t, d])]), shape: [x.shape[0] ?? null, t, d] };
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
 * RNNClassifier: embedding, the recurrent layers, dropout (removed) and the classifier, in
 * order. A padding id makes its recurrent layers skip padded steps, which the graph (one
 * input, no mask) cannot express: such a model is refused.
 */
function rnnClassifier(layer: AnyModule, x: OnnxValue, ctx: ConvertContext, convert: ConvertChild): OnnxValue {
  const padId = (layer as unknown as { config: { padId: number | null } }).config.padId;
  if (padId !== null) {
    throw new ConfigError(`exportOnnx: model '${ctx.path}' (RNNClassifier) has padId ${padId}; its padding masks are not exported`, {
      help: 'build it with padId: null to export (inputs then must not be padded), or trim padding before inference',
    });
  }
  return chain(layer, x, ctx, convert);
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

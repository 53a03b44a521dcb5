// ONNX converters for the architectures of @tensorloom/models whose forward is more than a
// chain of layers: residual blocks (ResNet basic and bottleneck, MobileNetV2's inverted
// residual). A BackboneModel (ResNet, MobileNetV2, VGG, LeNet-5, ...) is the chain of its
// children, in order.
import { BackboneModel } from '@tensorloom/models';
import { BatchNorm } from '@tensorloom/layers';
import type { Module } from '@tensorloom/layers';
import { attr } from './graph.js';
import type { ConvertContext, OnnxValue } from './layers.js';

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
  if (layer instanceof BackboneModel) return chain;
  return null;
}

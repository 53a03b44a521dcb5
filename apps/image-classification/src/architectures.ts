// The networks the `--model` flag picks, all from @tensorloom/models, sized for 28×28×1 images.
import type { Rng } from '@tensorloom/core';
import type { Module } from '@tensorloom/layers';
import { BackboneModel, CifarResNet, VisionTransformer, lenet5Relu } from '@tensorloom/models';
import type { FeatureSplit } from './explain.js';

/** Architectures the `--model` flag accepts. */
export const ARCHITECTURES = ['lenet5', 'resnet', 'vit'] as const;
/** A `--model` value. */
export type Architecture = (typeof ARCHITECTURES)[number];

/** What a run folder records to rebuild its network. */
export interface ModelSpec {
  architecture: Architecture;
  classes: number;
  inputShape: [number, number, number];
  /** ResNet only: total depth 6n + 2 (default 20). */
  depth?: number;
  /** ResNet only: channels of the first stage (default 16; the others 2× and 4×). */
  width?: number;
}

/** Options of {@link buildModel}. */
export interface BuildOptions {
  /** `false`: the backbone alone (no pooling, no head), for an autoencoder's encoder. Default `true`. */
  includeTop?: boolean;
}

/**
 * Builds the network of `spec` with fresh weights drawn from `rng`:
 * - `lenet5`: LeNet-5 with ReLU and max pooling (LeCun et al. 1998), the 28×28 input
 *   zero-padded to 32×32 as in the paper — 61,706 parameters for 10 classes;
 * - `resnet`: the CIFAR ResNet of He et al. 2015 (three stages of w/2w/4w channels, n basic
 *   blocks each, depth 6n + 2) on 28×28×1 — ResNet-20 (w 16, the default) has about 0.27 M
 *   parameters;
 * - `vit`: a small Vision Transformer (Dosovitskiy et al. 2020): 7×7 patches (16 tokens and a
 *   class token), d_model 64, 4 encoder layers of 4 heads, MLP 128.
 */
export function buildModel(spec: ModelSpec, rng: Rng, options: BuildOptions = {}): Module {
  const [h, w, c] = spec.inputShape;
  return createModel(spec, options).build([null, h, w, c], rng);
}

/** The network of `spec`, not built yet (its weights are made by `build`), as {@link buildModel} describes. */
export function createModel(spec: ModelSpec, options: BuildOptions = {}): Module {
  const [h, , c] = spec.inputShape;
  const top = options.includeTop === false ? { includeTop: false, pooling: null } : {};
  if (options.includeTop === false && spec.architecture === 'vit') {
    throw new Error(`buildModel: a backbone without its head expected a convolutional network (lenet5 or resnet), got ${spec.architecture}`);
  }
  const depth = spec.depth ?? 20;
  const model =
    spec.architecture === 'lenet5'
      ? lenet5Relu({ inputSize: 28, inputChannels: c, classes: spec.classes, ...top })
      : spec.architecture === 'resnet'
        ? new CifarResNet({ depth, width: spec.width ?? 16, classes: spec.classes, name: `resnet${depth}`, ...top })
        : new VisionTransformer({ imageSize: h, patchSize: 7, dModel: 64, depth: 4, numHeads: 4, mlpDim: 128, dropout: 0.1, classes: spec.classes });
  return model;
}

/**
 * The model cut after its last feature map that still has a spatial extent (h, w > 1), for
 * Grad-CAM: the children before the cut make the features, the rest (later convolutions,
 * pooling, head) the head. LeNet-5's last convolution is 1×1, so its cut falls after the
 * second pooling (5×5); ResNet's falls after the last stage.
 */
export function featureSplit(model: Module, inputShape: readonly [number, number, number]): FeatureSplit | null {
  if (!(model instanceof BackboneModel)) return null; // a ViT has no convolutional feature map
  const children = [...model.namedChildren()].map(([, m]) => m);
  let shape: (number | null)[] = [null, ...inputShape];
  let cut = 0;
  children.forEach((child, i) => {
    shape = [...(child.outputShape(shape as never) as (number | null)[])];
    if (shape.length === 4 && (shape[1] ?? 0) > 1 && (shape[2] ?? 0) > 1) cut = i + 1;
  });
  const run = (layers: typeof children, x: Parameters<FeatureSplit['features']>[0]) => layers.reduce((t, m) => m.apply(t) as typeof x, x);
  return { features: (x) => run(children.slice(0, cut), x), head: (f) => run(children.slice(cut), f) };
}

import { ConfigError } from '@tensorloom/core';
import { Activation, Dense, GlobalAvgPool2D, MaxPool2D, ZeroPadding2D } from '@tensorloom/layers';
import { BatchNorm } from '@tensorloom/layers';
import { BackboneModel, resolveBackbone } from '../transfer/backbone-model.js';
import type { BackboneConfig } from '../transfer/backbone-model.js';
import type { Layer } from '../transfer/internal/chain.js';
import { oneOf, positiveInt, positiveInts } from '../transfer/internal/validate.js';
import { BN_DEFAULTS, paddedConv } from './internal/conv-bn.js';
import { resStage } from './internal/residual-blocks.js';

/**
 * Configuration of {@link ResNet} (the ImageNet layout).
 *
 * @example
 * ```ts
 * const config: ResNetConfig = { block: 'bottleneck', layers: [3, 4, 6, 3], classes: 1000 };
 * ```
 */
export interface ResNetConfig extends BackboneConfig {
  /** `'basic'` (two 3×3 convs, ResNet-18/34) or `'bottleneck'` (1×1-3×3-1×1, ResNet-50+). Default `'basic'`. */
  block?: 'basic' | 'bottleneck';
  /** Blocks in each of the four stages. Default `[2, 2, 2, 2]` (ResNet-18). */
  layers?: readonly number[];
  /** Channels of the stem and the first stage; stage `i` has `width·2^i`. Default `64`. */
  width?: number;
}

/**
 * ResNet (He, Zhang, Ren & Sun, "Deep Residual Learning for Image Recognition", CVPR 2016,
 * https://arxiv.org/abs/1512.03385) with torchvision's structure and checkpoint keys:
 * `conv1` 7×7/2 → `bn1` → ReLU → 3×3/2 max pool → `layer1`..`layer4` (stride 1, 2, 2, 2;
 * projection shortcuts, the stride on the bottleneck's 3×3 as torchvision "v1.5") →
 * `avgpool` → `fc`. Convolutions pad symmetrically like PyTorch, batch norm uses
 * PyTorch's ε = 1e-5, so torchvision weights reproduce its outputs (tested against PyTorch).
 *
 * Default config (ResNet-18, 1000 classes): 11,689,512 trainable parameters.
 * Use {@link resnet18}, {@link resnet34}, {@link resnet50} for the standard depths.
 *
 * Input shape: `[batch, h, w, channels]` (any size ≥ 32 for every stage to keep a pixel).
 * Output shape: `[batch, classes]`; see {@link BackboneModel} without the head.
 *
 * @example
 * ```ts
 * const model = new ResNet({ layers: [1, 1, 1, 1], width: 16, classes: 10 }).build([null, 64, 64, 3], rng(1));
 * const logits = model.apply(tf.zeros([2, 64, 64, 3])); // [2, 10]
 * ```
 */
export class ResNet extends BackboneModel {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<ResNetConfig, 'name' | 'pooling' | 'includeTop'>>;

  constructor(config: ResNetConfig = {}) {
    const name = config.name ?? 'resnet';
    const unit = `ResNet '${name}'`;
    const block = oneOf(unit, 'block', config.block ?? 'basic', ['basic', 'bottleneck'] as const);
    const layers = positiveInts(unit, 'layers', config.layers ?? [2, 2, 2, 2]);
    if (layers.length !== 4) throw new ConfigError(`${unit}: layers expected 4 stage sizes, got [${layers.join(', ')}]`);
    const width = positiveInt(unit, 'width', config.width ?? 64);
    const backbone = resolveBackbone(unit, config, 1000);
    const base: [string, Layer][] = [
      ...paddedConv('conv1', width, 7, 2).map((m) => [m.name, m] as [string, Layer]),
      ['bn1', new BatchNorm({ name: 'bn1', ...BN_DEFAULTS })],
      ['relu', new Activation({ name: 'relu', activation: 'relu' })],
      // Zeros stand in for PyTorch's −∞ padding: the input is a ReLU output (≥ 0).
      ['maxpool_pad', new ZeroPadding2D({ name: 'maxpool_pad', padding: 1 })],
      ['maxpool', new MaxPool2D({ name: 'maxpool', poolSize: 3, strides: 2 })],
    ];
    let channels = width;
    layers.forEach((count, i) => {
      const { stage, outChannels } = resStage(`layer${i + 1}`, block, channels, width * 2 ** i, count, i === 0 ? 1 : 2, 'projection');
      base.push([stage.name, stage]);
      channels = outChannels;
    });
    super(
      {
        base,
        pool: ['avgpool', new GlobalAvgPool2D({ name: 'avgpool' })],
        head: [['fc', new Dense({ name: 'fc', units: backbone.classes })]],
      },
      backbone,
      { name },
    );
    this.config = { block, layers, width, classes: backbone.classes };
  }
}

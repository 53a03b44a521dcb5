import { tf } from '@tensorloom/core';
import { BatchNorm, Dense, Dropout, GlobalAvgPool2D, Module, Sequential } from '@tensorloom/layers';
import type { ApplyOptions, ModuleConfig, Shape } from '@tensorloom/layers';
import { BackboneModel, resolveBackbone } from '../transfer/backbone-model.js';
import type { BackboneConfig } from '../transfer/backbone-model.js';
import { buildChain, chainShape } from '../transfer/internal/chain.js';
import type { Layer } from '../transfer/internal/chain.js';
import { positive, rate } from '../transfer/internal/validate.js';
import { BN_DEFAULTS as BN, convBnAct, paddedConv } from './internal/conv-bn.js';

/**
 * Configuration of {@link MobileNetV2}.
 *
 * @example
 * ```ts
 * const config: MobileNetV2Config = { widthMultiplier: 0.5, classes: 10 };
 * ```
 */
export interface MobileNetV2Config extends BackboneConfig {
  /** Scales every layer's channels (rounded to a multiple of 8, as in the paper). Default `1`. */
  widthMultiplier?: number;
  /** Dropout before the classifier. Default `0.2`. */
  dropout?: number;
}

/** Rounds `v` to the nearest multiple of `divisor`, never below 90% of `v` (the reference implementation's rule). */
function makeDivisible(v: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor(v + divisor / 2) - (Math.floor(v + divisor / 2) % divisor));
  return rounded < 0.9 * v ? rounded + divisor : rounded;
}

/** The inverted residual settings: expansion t, channels c, repeats n, first stride s (Table 2). */
const SETTINGS: readonly [number, number, number, number][] = [
  [1, 16, 1, 1],
  [6, 24, 2, 2],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/** One inverted residual: [1×1 expand → BN → ReLU6] → 3×3 depthwise → BN → ReLU6 → 1×1 linear → BN, plus the input when shapes agree. */
class InvertedResidual extends Module {
  private readonly conv: Sequential;
  readonly residual: boolean;

  constructor(name: string, inChannels: number, outChannels: number, stride: number, expansion: number) {
    super({ name } satisfies ModuleConfig);
    const hidden = Math.round(inChannels * expansion);
    this.residual = stride === 1 && inChannels === outChannels;
    const layers: Layer[] = [];
    if (expansion !== 1) layers.push(convBnAct(String(layers.length), hidden, 1, 1, 'relu6', BN));
    layers.push(convBnAct(String(layers.length), 'depthwise', 3, stride, 'relu6', BN));
    const project = paddedConv(String(layers.length), outChannels, 1, 1);
    layers.push(...project);
    layers.push(new BatchNorm({ name: String(layers.length), ...BN }));
    this.conv = this.addModule('conv', new Sequential(layers, { name: 'conv' }));
  }

  protected override onBuild(inputShape: Shape): void {
    buildChain([this.conv], inputShape);
  }

  override outputShape(inputShape: Shape): Shape {
    return chainShape([this.conv], inputShape);
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return tf.tidy(() => {
      const y = this.conv.apply(x, options);
      return this.residual ? tf.add(x, y) : y;
    });
  }
}

/**
 * MobileNetV2 (Sandler, Howard, Zhu, Zhmoginov & Chen, "MobileNetV2: Inverted Residuals and
 * Linear Bottlenecks", CVPR 2018, https://arxiv.org/abs/1801.04381) with torchvision's
 * structure and keys: `features` — `0` a 3×3/2 conv-BN-ReLU6 of 32·α channels, `1`..`17`
 * inverted residual blocks (expansion 6, linear bottlenecks, residual where the shape
 * allows), `18` a 1×1 conv-BN-ReLU6 to 1280·max(1, α) — then `avgpool` and `classifier`
 * (dropout, dense). Channels are `α·c` rounded to multiples of 8.
 *
 * Default config (α = 1, 224×224×3, 1000 classes): 3,504,872 trainable parameters.
 *
 * Input shape: `[batch, h, w, c]`. Output shape: `[batch, classes]`; see {@link BackboneModel}.
 *
 * @example
 * ```ts
 * const net = new MobileNetV2({ widthMultiplier: 0.25, classes: 10 }).build([null, 32, 32, 3], rng(1));
 * net.apply(tf.zeros([1, 32, 32, 3])).shape; // [1, 10]
 * ```
 */
export class MobileNetV2 extends BackboneModel {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<MobileNetV2Config, 'name' | 'pooling' | 'includeTop'>>;

  constructor(config: MobileNetV2Config = {}) {
    const name = config.name ?? 'mobilenet_v2';
    const unit = `MobileNetV2 '${name}'`;
    const widthMultiplier = positive(unit, 'widthMultiplier', config.widthMultiplier ?? 1);
    const dropout = rate(unit, 'dropout', config.dropout ?? 0.2);
    const backbone = resolveBackbone(unit, config, 1000);
    let channels = makeDivisible(32 * widthMultiplier);
    const lastChannels = makeDivisible(1280 * Math.max(1, widthMultiplier));
    const features: Layer[] = [convBnAct('0', channels, 3, 2, 'relu6', BN)];
    for (const [t, c, n, s] of SETTINGS) {
      const out = makeDivisible(c * widthMultiplier);
      for (let i = 0; i < n; i++) {
        features.push(new InvertedResidual(String(features.length), channels, out, i === 0 ? s : 1, t));
        channels = out;
      }
    }
    features.push(convBnAct(String(features.length), lastChannels, 1, 1, 'relu6', BN));
    super(
      {
        base: [['features', new Sequential(features, { name: 'features' })]],
        pool: ['avgpool', new GlobalAvgPool2D({ name: 'avgpool' })],
        head: [['classifier', new Sequential([new Dropout({ name: '0', rate: dropout }), new Dense({ name: '1', units: backbone.classes })], { name: 'classifier' })]],
      },
      backbone,
      { name },
    );
    this.config = { widthMultiplier, dropout, classes: backbone.classes };
  }
}

import { Activation, BatchNorm, Dense, GlobalAvgPool2D } from '@tensorloom/layers';
import { ConfigError } from '@tensorloom/core';
import { BackboneModel, resolveBackbone } from '../transfer/backbone-model.js';
import type { BackboneConfig } from '../transfer/backbone-model.js';
import type { Layer } from '../transfer/internal/chain.js';
import { oneOf, positiveInt } from '../transfer/internal/validate.js';
import { BN_DEFAULTS, paddedConv } from './internal/conv-bn.js';
import { resStage } from './internal/residual-blocks.js';
import type { Shortcut } from './shortcut.js';


/**
 * Configuration of {@link CifarResNet}.
 *
 * @example
 * ```ts
 * const config: CifarResNetConfig = { depth: 56, shortcut: 'projection' };
 * ```
 */
export interface CifarResNetConfig extends BackboneConfig {
  /** Total depth `6n + 2` (20, 32, 44, 56, 110): `n` basic blocks in each of three stages. Default `20`. */
  depth?: number;
  /** Channels of the first stage; the others have 2× and 4×. Default `16`. */
  width?: number;
  /**
   * Shortcut where the shape changes: `'padding'` (the paper's option A: subsample and add
   * zero channels, no parameters) or `'projection'` (option B: 1×1 conv + BN). Default `'padding'`.
   */
  shortcut?: Shortcut;
}

/**
 * The CIFAR-10 ResNet of He et al. 2016 §4.2 (https://arxiv.org/abs/1512.03385): a 3×3
 * conv of `width` channels (`conv1`, `bn1`), three stages `layer1`..`layer3` of `n` basic
 * blocks with `width`, `2·width`, `4·width` channels (stride 1, 2, 2), global average
 * pooling (`avgpool`) and `fc`.
 *
 * Default config (ResNet-20, 10 classes, option A): 269,722 trainable parameters (the
 * paper's "0.27M"). {@link resnet20}, {@link resnet32}, {@link resnet56} name the usual depths.
 *
 * Input shape: `[batch, h, w, channels]` (32×32×3 for CIFAR; any size ≥ 4).
 * Output shape: `[batch, classes]`; see {@link BackboneModel} without the head.
 *
 * @example
 * ```ts
 * const model = new CifarResNet({ depth: 8, width: 4 }).build([null, 32, 32, 3], rng(1));
 * model.apply(tf.zeros([1, 32, 32, 3])).shape; // [1, 10]
 * ```
 */
export class CifarResNet extends BackboneModel {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<CifarResNetConfig, 'name' | 'pooling' | 'includeTop'>>;

  constructor(config: CifarResNetConfig = {}) {
    const name = config.name ?? 'cifar_resnet';
    const unit = `CifarResNet '${name}'`;
    const depth = positiveInt(unit, 'depth', config.depth ?? 20);
    if ((depth - 2) % 6 !== 0 || depth < 8) throw new ConfigError(`${unit}: depth expected 6n + 2 with n ≥ 1 (8, 14, 20, 32, 56, ...), got ${depth}`);
    const width = positiveInt(unit, 'width', config.width ?? 16);
    const shortcut = oneOf(unit, 'shortcut', config.shortcut ?? 'padding', ['padding', 'projection'] as const);
    const backbone = resolveBackbone(unit, config, 10);
    const n = (depth - 2) / 6;
    const base: [string, Layer][] = [
      ...paddedConv('conv1', width, 3, 1).map((m) => [m.name, m] as [string, Layer]),
      ['bn1', new BatchNorm({ name: 'bn1', ...BN_DEFAULTS })],
      ['relu', new Activation({ name: 'relu', activation: 'relu' })],
    ];
    let channels = width;
    for (let i = 0; i < 3; i++) {
      const { stage, outChannels } = resStage(`layer${i + 1}`, 'basic', channels, width * 2 ** i, n, i === 0 ? 1 : 2, shortcut);
      base.push([stage.name, stage]);
      channels = outChannels;
    }
    super(
      { base, pool: ['avgpool', new GlobalAvgPool2D({ name: 'avgpool' })], head: [['fc', new Dense({ name: 'fc', units: backbone.classes })]] },
      backbone,
      { name },
    );
    this.config = { depth, width, shortcut, classes: backbone.classes };
  }
}

/**
 * ResNet-20 for CIFAR ({@link CifarResNet} with `depth: 20`): 269,722 parameters with the defaults.
 *
 * @param config - everything but `depth`.
 * @returns the model, unbuilt.
 * @example
 * ```ts
 * const model = resnet20().build([null, 32, 32, 3], rng(1));
 * ```
 */
export function resnet20(config: Omit<CifarResNetConfig, 'depth'> = {}): CifarResNet {
  return new CifarResNet({ name: 'resnet20', ...config, depth: 20 });
}

/**
 * ResNet-32 for CIFAR ({@link CifarResNet} with `depth: 32`): 464,154 parameters with the defaults.
 *
 * @param config - everything but `depth`.
 * @returns the model, unbuilt.
 * @example
 * ```ts
 * const model = resnet32().build([null, 32, 32, 3], rng(1));
 * ```
 */
export function resnet32(config: Omit<CifarResNetConfig, 'depth'> = {}): CifarResNet {
  return new CifarResNet({ name: 'resnet32', ...config, depth: 32 });
}

/**
 * ResNet-56 for CIFAR ({@link CifarResNet} with `depth: 56`): 853,018 parameters with the defaults.
 *
 * @param config - everything but `depth`.
 * @returns the model, unbuilt.
 * @example
 * ```ts
 * const model = resnet56().build([null, 32, 32, 3], rng(1));
 * ```
 */
export function resnet56(config: Omit<CifarResNetConfig, 'depth'> = {}): CifarResNet {
  return new CifarResNet({ name: 'resnet56', ...config, depth: 56 });
}

import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Activation, BatchNorm, Conv2D, Conv2DTranspose, MaxPool2D, Module, Sequential, UpSampling2D } from '@tensorloom/layers';
import type { ApplyOptions, ModuleConfig, Shape } from '@tensorloom/layers';
import type { Layer } from '../transfer/internal/chain.js';
import { bool, oneOf, positiveInt } from '../transfer/internal/validate.js';

/**
 * Configuration of {@link UNet}.
 *
 * @example
 * ```ts
 * const config: UNetConfig = { depth: 3, baseFilters: 16, classes: 11, upsampling: 'bilinear', batchNorm: true };
 * ```
 */
export interface UNetConfig extends ModuleConfig {
  /** Down-sampling steps (pools); the bottleneck has `baseFilters·2^depth` channels. Default `4`. */
  depth?: number;
  /** Channels of the first level. Default `64`. */
  baseFilters?: number;
  /** Per-pixel output logits. Default `2`. */
  classes?: number;
  /** `'transpose'`: a 2×2 stride-2 transposed conv halving the channels (the paper's up-convolution); `'bilinear'`: bilinear ×2 then a 1×1 conv halving them. Default `'transpose'`. */
  upsampling?: 'transpose' | 'bilinear';
  /** Batch norm after every 3×3 conv. Default `false` (the paper has none). */
  batchNorm?: boolean;
  /**
   * `'same'`: zero-padded convs, output as large as the input (height and width divisible by
   * `2^depth`); `'valid'`: the original unpadded convs with the skip connections centre-cropped,
   * output smaller than the input (572×572 → 388×388 at depth 4). Default `'same'`.
   */
  padding?: 'same' | 'valid';
  /** Keep the 1×1 `head` to `classes` logits; without it the output is the last decoder level's features. Default `true`. */
  includeTop?: boolean;
}

function doubleConv(name: string, filters: number, padding: 'same' | 'valid', batchNorm: boolean): Sequential {
  const layers: Layer[] = [];
  for (const i of [1, 2]) {
    layers.push(new Conv2D({ name: `conv${i}`, filters, kernelSize: 3, padding, useBias: !batchNorm, kernelInitializer: 'heNormal' }));
    if (batchNorm) layers.push(new BatchNorm({ name: `bn${i}`, momentum: 0.9, epsilon: 1e-5 }));
    layers.push(new Activation({ name: `relu${i}`, activation: 'relu' }));
  }
  return new Sequential(layers, { name });
}

/** The centre crop of `[b, h, w, c]` to `h2 × w2` (the paper's skip-connection crop). */
function centreCrop(x: tf.Tensor, h2: number, w2: number): tf.Tensor {
  const [, h, w] = x.shape as number[];
  if (h === h2 && w === w2) return x;
  const top = Math.floor((h! - h2) / 2);
  const left = Math.floor((w! - w2) / 2);
  return tf.slice(x, [0, top, left, 0], [-1, h2, w2, -1]);
}

/**
 * U-Net (Ronneberger, Fischer & Brox, "U-Net: Convolutional Networks for Biomedical Image
 * Segmentation", MICCAI 2015, https://arxiv.org/abs/1505.04597): an encoder of `depth`
 * levels (`down1`..: two 3×3 conv-ReLU, then a 2×2 max pool), a `bottleneck`, and a
 * decoder (`up<i>` up-sampling, concatenation with the encoder level's output — centre-
 * cropped with valid padding — and `dec<i>` two convs), then a 1×1 `head` giving
 * per-pixel logits.
 *
 * Default config (depth 4, 64 filters, 1 input channel, 2 classes, transposed convs, no
 * batch norm): 31,030,658 parameters.
 *
 * Input shape: `[batch, h, w, c]`. Output shape: `[batch, h, w, classes]` with `'same'`
 * padding; smaller with `'valid'` (see {@link UNet.outputShape}).
 *
 * @example
 * ```ts
 * const unet = new UNet({ depth: 2, baseFilters: 8, classes: 3 }).build([null, 32, 32, 1], rng(1));
 * const logits = unet.apply(tf.zeros([1, 32, 32, 1])); // [1, 32, 32, 3]
 * ```
 */
export class UNet extends Module {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<UNetConfig, 'name'>>;
  private readonly downs: Sequential[] = [];
  private readonly pools: MaxPool2D[] = [];
  private readonly bottleneck: Sequential;
  private readonly ups: Layer[] = [];
  private readonly decs: Sequential[] = [];
  private readonly head: Conv2D | null;

  constructor(config: UNetConfig = {}) {
    super({ name: config.name ?? 'unet' });
    const unit = this.label;
    const c = {
      depth: positiveInt(unit, 'depth', config.depth ?? 4),
      baseFilters: positiveInt(unit, 'baseFilters', config.baseFilters ?? 64),
      classes: positiveInt(unit, 'classes', config.classes ?? 2),
      upsampling: oneOf(unit, 'upsampling', config.upsampling ?? 'transpose', ['transpose', 'bilinear'] as const),
      batchNorm: bool(unit, 'batchNorm', config.batchNorm ?? false),
      padding: oneOf(unit, 'padding', config.padding ?? 'same', ['same', 'valid'] as const),
      includeTop: bool(unit, 'includeTop', config.includeTop ?? true),
    };
    this.config = c;
    for (let i = 1; i <= c.depth; i++) {
      this.downs.push(this.addModule(`down${i}`, doubleConv(`down${i}`, c.baseFilters * 2 ** (i - 1), c.padding, c.batchNorm)));
      this.pools.push(this.addModule(`pool${i}`, new MaxPool2D({ name: `pool${i}`, poolSize: 2, strides: 2 })));
    }
    this.bottleneck = this.addModule('bottleneck', doubleConv('bottleneck', c.baseFilters * 2 ** c.depth, c.padding, c.batchNorm));
    for (let i = c.depth; i >= 1; i--) {
      const filters = c.baseFilters * 2 ** (i - 1);
      const up: Layer =
        c.upsampling === 'transpose'
          ? new Conv2DTranspose({ name: `up${i}`, filters, kernelSize: 2, strides: 2 })
          : new Sequential([new UpSampling2D({ name: 'resize', size: 2, interpolation: 'bilinear' }), new Conv2D({ name: 'conv', filters, kernelSize: 1 })], { name: `up${i}` });
      this.ups.push(this.addModule(`up${i}`, up));
      this.decs.push(this.addModule(`dec${i}`, doubleConv(`dec${i}`, filters, c.padding, c.batchNorm)));
    }
    this.head = c.includeTop ? this.addModule('head', new Conv2D({ name: 'head', filters: c.classes, kernelSize: 1 })) : null;
  }

  /** Walks the shapes through the network, building each child when `build` is true. */
  private walk(inputShape: Shape, build: boolean): Shape {
    if (inputShape.length !== 4 || typeof inputShape[1] !== 'number' || typeof inputShape[2] !== 'number') {
      throw new ShapeError(`${this.label}: input expected [batch, h, w, channels] with known h and w, got ${formatShape(inputShape)}`);
    }
    const step = (m: Layer, s: Shape): Shape => {
      if (build) m.build(s);
      return m.outputShape(s);
    };
    let s = inputShape;
    const skips: Shape[] = [];
    this.downs.forEach((down, i) => {
      s = step(down, s);
      const [h, w] = [s[1] as number, s[2] as number];
      if (h % 2 !== 0 || w % 2 !== 0) {
        throw new ShapeError(`${this.label}: input ${formatShape(inputShape)} gives an odd ${h}×${w} map before pool${i + 1}`, {
          help: this.config.padding === 'same' ? `use h and w divisible by 2^depth = ${2 ** this.config.depth}` : 'with valid padding, 572×572 (depth 4) and sizes 16k + 12 (k ≥ ...) work',
        });
      }
      skips.push(s);
      s = step(this.pools[i]!, s);
    });
    s = step(this.bottleneck, s);
    this.ups.forEach((up, j) => {
      s = step(up, s);
      const skip = skips[skips.length - 1 - j]!;
      const [h, w] = [s[1] as number, s[2] as number];
      if ((skip[1] as number) < h || (skip[2] as number) < w) throw new ShapeError(`${this.label}: skip ${formatShape(skip)} smaller than the up-sampled ${formatShape(s)}`);
      s = [s[0] ?? null, h, w, (s[3] as number) + (skip[3] as number)];
      s = step(this.decs[j]!, s);
    });
    return this.head === null ? s : step(this.head, s);
  }

  protected override onBuild(inputShape: Shape): void {
    // Shapes first: a bad input fails before any child allocates its parameters.
    this.walk(inputShape, false);
    this.walk(inputShape, true);
  }

  /**
   * The output shape; with `'valid'` padding each level loses 4 pixels per conv pair.
   *
   * @example
   * ```ts
   * new UNet({ padding: 'valid' }).outputShape([null, 572, 572, 1]); // [null, 388, 388, 2]
   * ```
   */
  override outputShape(inputShape: Shape): Shape {
    return this.walk(inputShape, false);
  }

  /**
   * The last decoder level's features (the input of the 1×1 head).
   *
   * @param x - `[batch, h, w, c]`.
   * @param options - training mode.
   * @returns `[batch, h', w', baseFilters]`.
   * @example
   * ```ts
   * const f = unet.features(images);
   * ```
   */
  features(x: tf.Tensor, options: ApplyOptions = {}): tf.Tensor {
    if (!this.built) this.build(x.shape);
    return tf.tidy(() => {
      let h = x;
      const skips: tf.Tensor[] = [];
      this.downs.forEach((down, i) => {
        h = down.apply(h, options);
        skips.push(h);
        h = this.pools[i]!.apply(h, options);
      });
      h = this.bottleneck.apply(h, options);
      this.ups.forEach((up, j) => {
        h = up.apply(h, options);
        const skip = centreCrop(skips[skips.length - 1 - j]!, h.shape[1]!, h.shape[2]!);
        h = this.decs[j]!.apply(tf.concat([skip, h], -1), options); // (B, h, w, skip + up channels)
      });
      return h;
    });
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    if (x.rank !== 4) throw new ShapeError(`${this.label}: input expected rank 4 [batch, h, w, channels], got ${formatShape(x.shape)}`);
    this.outputShape(x.shape);
    return tf.tidy(() => {
      const f = this.features(x, options);
      return this.head === null ? f : this.head.apply(f, options);
    });
  }
}

/**
 * The original U-Net of the paper: {@link UNet} with valid padding, transposed-conv
 * up-sampling and no batch norm (572×572 in, 388×388 out at depth 4).
 *
 * @param config - everything but `padding`.
 * @returns the model, unbuilt.
 * @example
 * ```ts
 * const unet = originalUNet({ depth: 2, baseFilters: 8 }).build([null, 44, 44, 1], rng(1)); // output 4×4
 * ```
 */
export function originalUNet(config: Omit<UNetConfig, 'padding'> = {}): UNet {
  if ((config as UNetConfig).padding !== undefined) throw new ConfigError(`UNet 'unet': padding expected unset for originalUNet, got '${String((config as UNetConfig).padding)}'`);
  return new UNet({ name: 'unet_original', upsampling: 'transpose', batchNorm: false, ...config, padding: 'valid' });
}

import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Conv2D, Dense, LayerNorm, Module, Sequential, TransformerEncoderLayer, initializers } from '@tensorloom/layers';
import type { ApplyOptions, Shape } from '@tensorloom/layers';
import { resolveBackbone } from '../transfer/backbone-model.js';
import type { BackboneConfig, ResolvedBackbone } from '../transfer/backbone-model.js';
import { positiveInt, rate } from '../transfer/internal/validate.js';

/**
 * Configuration of {@link VisionTransformer}.
 *
 * @example
 * ```ts
 * const config: VisionTransformerConfig = { imageSize: 28, patchSize: 7, dModel: 64, depth: 4, numHeads: 4 };
 * ```
 */
export interface VisionTransformerConfig extends BackboneConfig {
  /** Height and width of the (square) input image; a multiple of `patchSize`. Default `32`. */
  imageSize?: number;
  /** Side of the square patches. Default `4`. */
  patchSize?: number;
  /** Token width. Default `64`. */
  dModel?: number;
  /** Encoder layers. Default `6`. */
  depth?: number;
  /** Attention heads (divides `dModel`). Default `4`. */
  numHeads?: number;
  /** Hidden width of each layer's MLP. Default `2 · dModel`. */
  mlpDim?: number;
  /** Dropout in the encoder layers. Default `0`. */
  dropout?: number;
}

/**
 * A small Vision Transformer (Dosovitskiy et al., "An Image is Worth 16x16 Words:
 * Transformers for Image Recognition at Scale", ICLR 2021, https://arxiv.org/abs/2010.11929):
 * `patchEmbed` (a `patchSize`-strided conv to `dModel`), a learned `classToken` prepended,
 * learned `positionEmbedding`, `encoder` (pre-norm {@link TransformerEncoderLayer}s with
 * GELU MLPs, ε = 1e-6), a final `norm`, and `head` on the class token. Without the head,
 * {@link VisionTransformer.features} returns the class token (`pooling: null`) or the mean
 * (`'avg'`) or max (`'max'`) over the patch tokens.
 *
 * Default config (32×32×3, patches 4, d 64, depth 6, 4 heads, MLP 128, 10 classes): 208,970 parameters.
 *
 * Input shape: `[batch, imageSize, imageSize, channels]`. Output shape: `[batch, classes]`, or `[batch, dModel]` without the head.
 *
 * @example
 * ```ts
 * const vit = new VisionTransformer({ imageSize: 28, patchSize: 7, dModel: 32, depth: 2, numHeads: 2 }).build([null, 28, 28, 1], rng(1));
 * vit.apply(tf.zeros([2, 28, 28, 1])).shape; // [2, 10]
 * ```
 */
export class VisionTransformer extends Module {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<VisionTransformerConfig, 'name' | 'pooling' | 'includeTop' | 'classes'>> & ResolvedBackbone;
  private readonly patchEmbed: Conv2D;
  private readonly encoder: Sequential;
  private readonly norm: LayerNorm;
  private readonly head: Dense | null;
  /** `[1, 1, dModel]`, after build. */
  classToken: tf.Variable | null = null;
  /** `[1, patches + 1, dModel]`, after build. */
  positionEmbedding: tf.Variable | null = null;

  constructor(config: VisionTransformerConfig = {}) {
    super({ name: config.name ?? 'vit' });
    const unit = this.label;
    const imageSize = positiveInt(unit, 'imageSize', config.imageSize ?? 32);
    const patchSize = positiveInt(unit, 'patchSize', config.patchSize ?? 4);
    if (imageSize % patchSize !== 0) throw new ConfigError(`${unit}: imageSize expected a multiple of patchSize ${patchSize}, got ${imageSize}`);
    const dModel = positiveInt(unit, 'dModel', config.dModel ?? 64);
    const numHeads = positiveInt(unit, 'numHeads', config.numHeads ?? 4);
    if (dModel % numHeads !== 0) throw new ConfigError(`${unit}: numHeads expected a divisor of dModel ${dModel}, got ${numHeads}`);
    const depth = positiveInt(unit, 'depth', config.depth ?? 6);
    const mlpDim = positiveInt(unit, 'mlpDim', config.mlpDim ?? 2 * dModel);
    const dropout = rate(unit, 'dropout', config.dropout ?? 0);
    const backbone = resolveBackbone(unit, config, 10);
    this.config = { imageSize, patchSize, dModel, depth, numHeads, mlpDim, dropout, ...backbone };
    this.patchEmbed = this.addModule('patchEmbed', new Conv2D({ name: 'patchEmbed', filters: dModel, kernelSize: patchSize, strides: patchSize }));
    const layers = Array.from(
      { length: depth },
      (_, i) => new TransformerEncoderLayer({ name: String(i), numHeads, dimFeedforward: mlpDim, dropout, activation: 'gelu', normFirst: true, layerNormEps: 1e-6 }),
    );
    this.encoder = this.addModule('encoder', new Sequential(layers, { name: 'encoder' }));
    this.norm = this.addModule('norm', new LayerNorm({ name: 'norm', epsilon: 1e-6 }));
    this.head = backbone.includeTop ? this.addModule('head', new Dense({ name: 'head', units: backbone.classes })) : null;
  }

  private checkInput(shape: Shape): void {
    const s = this.config.imageSize;
    if (shape.length !== 4 || shape[1] !== s || shape[2] !== s || typeof shape[3] !== 'number') {
      throw new ShapeError(`${this.label}: input expected [batch, ${s}, ${s}, channels], got ${formatShape(shape)}`);
    }
  }

  protected override onBuild(inputShape: Shape): void {
    this.checkInput(inputShape);
    const c = this.config;
    const tokens = (c.imageSize / c.patchSize) ** 2 + 1;
    this.patchEmbed.build(inputShape);
    this.classToken = this.addParameter('classToken', [1, 1, c.dModel], 'zeros');
    this.positionEmbedding = this.addParameter('positionEmbedding', [1, tokens, c.dModel], initializers.truncatedNormal(0, 0.02));
    this.encoder.build([null, tokens, c.dModel]);
    this.norm.build([null, tokens, c.dModel]);
    this.head?.build([null, c.dModel]);
  }

  override outputShape(inputShape: Shape): Shape {
    this.checkInput(inputShape);
    return [inputShape[0] ?? null, this.head === null ? this.config.dModel : this.config.classes];
  }

  /**
   * The image representation: the class token after the final norm, or the mean / max of
   * the patch tokens with `pooling: 'avg'` / `'max'`.
   *
   * @param x - `[batch, imageSize, imageSize, channels]`.
   * @param options - training mode.
   * @returns `[batch, dModel]`.
   * @example
   * ```ts
   * const embedding = vit.features(images);
   * ```
   */
  features(x: tf.Tensor, options: ApplyOptions = {}): tf.Tensor {
    if (!this.built) this.build(x.shape);
    this.checkInput(x.shape);
    return tf.tidy(() => {
      const b = x.shape[0]!;
      const patches = this.patchEmbed.apply(x, options); // (B, H/p, W/p, d)
      const seq = patches.reshape([b, -1, this.config.dModel]); // (B, N, d)
      const cls = tf.tile(this.classToken!, [b, 1, 1]); // (B, 1, d)
      const h = this.norm.apply(this.encoder.apply(tf.add(tf.concat([cls, seq], 1), this.positionEmbedding!), options), options); // (B, N + 1, d)
      const pooling = this.head === null ? this.config.pooling : null;
      if (pooling === null) return h.slice([0, 0, 0], [-1, 1, -1]).reshape([b, this.config.dModel]);
      const tokens = h.slice([0, 1, 0], [-1, -1, -1]); // (B, N, d)
      return pooling === 'avg' ? tf.mean(tokens, 1) : tf.max(tokens, 1);
    });
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return tf.tidy(() => {
      const f = this.features(x, options);
      return this.head === null ? f : this.head.apply(f, options);
    });
  }
}

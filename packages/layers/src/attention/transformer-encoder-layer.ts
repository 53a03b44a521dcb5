import { ConfigError, ShapeError, assertRank, assertShape, formatShape, tf } from '@tensorloom/core';
import { Dense } from '../core/dense.js';
import { Module } from '../module/module.js';
import type { ApplyOptions, Shape } from '../module/module.js';
import { LayerNorm } from '../normalization/layer-norm.js';
import { resolveTransformerConfig, transformerBlocks, transformerModelDim } from './internal/transformer-shared.js';
import { MultiHeadAttention, multiHeadAttention } from './multi-head-attention.js';
import type { MultiHeadAttentionWeights, ProjectionWeights } from './multi-head-attention.js';
import type { LayerNormWeights, TransformerLayerConfig, TransformerLayerOptions } from './transformer-types.js';

export type { LayerNormWeights, TransformerLayerConfig, TransformerLayerOptions } from './transformer-types.js';

/**
 * The weights of {@link transformerEncoderLayer}.
 *
 * @example
 * ```ts
 * const y = transformerEncoderLayer(x, encoder.weights(), { normFirst: true });
 * ```
 *
 * @group Attention
 */
export interface TransformerEncoderLayerWeights {
  /** Self-attention (`self_attn.*`). */
  selfAttention: MultiHeadAttentionWeights;
  /** FFN input layer (`ffn1.*`): kernel `[dModel, dimFeedforward]`, bias `[dimFeedforward]`. */
  ffn1: ProjectionWeights;
  /** FFN output layer (`ffn2.*`): kernel `[dimFeedforward, dModel]`, bias `[dModel]`. */
  ffn2: ProjectionWeights;
  /** Norm around the attention (`norm1.*`). */
  norm1: LayerNormWeights;
  /** Norm around the FFN (`norm2.*`). */
  norm2: LayerNormWeights;
}

/**
 * Options of {@link transformerEncoderLayer}.
 *
 * @example
 * ```ts
 * const options: TransformerEncoderLayerOptions = { keyMask: padding };
 * ```
 *
 * @group Attention
 */
export interface TransformerEncoderLayerOptions extends TransformerLayerOptions {
  /** Source key padding mask `[batch, time]`: `true` = a real token. Default none. */
  keyMask?: tf.Tensor | null;
}

/**
 * The output shape of both transformer layers: the (target) input's.
 *
 * @example
 * ```ts
 * transformerLayerOutputShape([null, 10, 64]); // [null, 10, 64]
 * ```
 *
 * @group Attention
 */
export function transformerLayerOutputShape(inputShape: Shape): Shape {
  return inputShape;
}

/**
 * One transformer encoder layer as a function of its weights (Vaswani et al. 2017,
 * https://arxiv.org/abs/1706.03762, §3.1; PyTorch's `nn.TransformerEncoderLayer`):
 * post-norm `h = LN1(x + Drop(SA(x))); y = LN2(h + Drop(FFN(h)))`, or pre-norm
 * `h = x + Drop(SA(LN1(x))); y = h + Drop(FFN(LN2(h)))`.
 *
 * @param x - `[batch, time, dModel]`.
 * @param weights - see {@link TransformerEncoderLayerWeights}.
 * @param options - norm placement, activation, dropout, key padding mask.
 * @returns `[batch, time, dModel]`.
 * @throws ShapeError when `x` does not fit the weights.
 * @example
 * ```ts
 * const y = transformerEncoderLayer(x, encoder.weights(), { keyMask: padding });
 * ```
 *
 * @group Attention
 */
export function transformerEncoderLayer(
  x: tf.Tensor,
  weights: TransformerEncoderLayerWeights,
  options: TransformerEncoderLayerOptions = {},
): tf.Tensor {
  const unit = options.unit ?? 'transformerEncoderLayer';
  assertRank(unit, 'input', x, 3, '[batch, time, dModel]');
  const dModel = weights.ffn2.kernel.shape[1]!;
  if (x.shape[2] !== dModel) throw new ShapeError(`${unit}: input axis 2 expected ${dModel}, got shape ${formatShape(x.shape)}`);
  return tf.tidy(() => {
    const { norm, drop, ffn, rngs } = transformerBlocks(options, 4);
    const rate = options.dropoutRate ?? 0;
    const selfAttention = (t: tf.Tensor): tf.Tensor =>
      drop(multiHeadAttention({ query: t, value: t }, weights.selfAttention, { keyMask: options.keyMask ?? null, dropoutRate: rate, rng: rngs[0], unit }).output, 1);
    const feedForward = (t: tf.Tensor): tf.Tensor => drop(ffn(t, weights.ffn1, weights.ffn2, 2), 3);
    if (options.normFirst) {
      const h = tf.add(x, selfAttention(norm(x, weights.norm1)));
      return tf.add(h, feedForward(norm(h, weights.norm2)));
    }
    const h = norm(tf.add(x, selfAttention(x)), weights.norm1);
    return norm(tf.add(h, feedForward(h)), weights.norm2);
  });
}

/**
 * A transformer encoder layer (Vaswani et al. 2017, https://arxiv.org/abs/1706.03762, §3.1):
 * multi-head self-attention then a position-wise feed-forward network, each with a residual
 * connection, dropout and layer norm — after the residual (post-norm, the default, as the
 * paper and PyTorch) or before the sublayer (`normFirst`). See {@link transformerEncoderLayer}.
 *
 * The `mask` option is the source key padding mask `[batch, time]` (`true` = a real token):
 * padded positions are never attended to. It passes through as the output mask.
 *
 * Input shape: `[batch, time, dModel]`, `dModel` a multiple of `numHeads`.
 * Output shape: the input's.
 *
 * Parameters: `self_attn.{query,key,value}.kernel` `[dModel, H, dModel/H]` (+ biases),
 * `self_attn.output.kernel` `[H, dModel/H, dModel]`, `ffn1.kernel` `[dModel, dimFeedforward]`,
 * `ffn2.kernel` `[dimFeedforward, dModel]` (+ biases), `norm1.gamma`/`beta`, `norm2.gamma`/`beta` `[dModel]`.
 *
 * @example
 * ```ts
 * const encoder = new TransformerEncoderLayer({ numHeads: 4, dimFeedforward: 128, name: 'enc1' }).build([null, 20, 64], rng(1));
 * const y = encoder.apply(x, { mask: padding, training: true }); // x: [batch, 20, 64], padding: [batch, 20]
 * ```
 *
 * @group Attention
 */
export class TransformerEncoderLayer extends Module {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<TransformerLayerConfig, 'name'>>;
  /** Self-attention, after build. */
  selfAttention: MultiHeadAttention | null = null;
  /** FFN input layer, after build. */
  ffn1: Dense | null = null;
  /** FFN output layer, after build. */
  ffn2: Dense | null = null;
  /** Norm of the attention sublayer, after build. */
  norm1: LayerNorm | null = null;
  /** Norm of the FFN sublayer, after build. */
  norm2: LayerNorm | null = null;

  constructor(config: TransformerLayerConfig) {
    super(config);
    this.config = resolveTransformerConfig(`TransformerEncoderLayer '${this.name}'`, config);
  }

  protected override onBuild(inputShape: Shape): void {
    const c = this.config;
    const dModel = transformerModelDim(this.label, 'input', inputShape, c.numHeads);
    // dModel comes from the input, so the children are made at build (`??=`: once).
    this.selfAttention ??= this.addModule('self_attn', new MultiHeadAttention({ name: 'self_attn', numHeads: c.numHeads, dropout: c.dropout }));
    this.ffn1 ??= this.addModule('ffn1', new Dense({ name: 'ffn1', units: c.dimFeedforward }));
    this.ffn2 ??= this.addModule('ffn2', new Dense({ name: 'ffn2', units: dModel }));
    this.norm1 ??= this.addModule('norm1', new LayerNorm({ name: 'norm1', epsilon: c.layerNormEps }));
    this.norm2 ??= this.addModule('norm2', new LayerNorm({ name: 'norm2', epsilon: c.layerNormEps }));
    const shape: Shape = [null, null, dModel];
    this.selfAttention.build({ query: shape, value: shape });
    this.ffn1.build(shape);
    this.ffn2.build([null, null, c.dimFeedforward]);
    this.norm1.build(shape);
    this.norm2.build(shape);
  }

  override outputShape(inputShape: Shape): Shape {
    return transformerLayerOutputShape(inputShape);
  }

  /**
   * The live weights, for {@link transformerEncoderLayer}.
   *
   * @throws ConfigError before build.
   * @example
   * ```ts
   * const { ffn1 } = encoder.weights(); // ffn1.kernel: [dModel, dimFeedforward]
   * ```
   */
  weights(): TransformerEncoderLayerWeights {
    if (!this.built) throw new ConfigError(`${this.label}: weights need a built module`, { help: 'call build() or apply() first' });
    return {
      selfAttention: this.selfAttention!.weights(),
      ffn1: { kernel: this.ffn1!.kernel!, bias: this.ffn1!.bias },
      ffn2: { kernel: this.ffn2!.kernel!, bias: this.ffn2!.bias },
      norm1: { gamma: this.norm1!.gamma, beta: this.norm1!.beta },
      norm2: { gamma: this.norm2!.gamma, beta: this.norm2!.beta },
    };
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    const c = this.config;
    assertRank(this.label, 'input', x, 3, '[batch, time, dModel]');
    if (options.mask) assertShape(this.label, 'mask', options.mask, [x.shape[0]!, x.shape[1]!]);
    return transformerEncoderLayer(x, this.weights(), {
      normFirst: c.normFirst,
      layerNormEps: c.layerNormEps,
      activation: c.activation,
      dropoutRate: c.dropout,
      rng: options.training && c.dropout > 0 ? this.nextRng() : null,
      keyMask: options.mask ?? null,
      unit: this.label,
    });
  }
}

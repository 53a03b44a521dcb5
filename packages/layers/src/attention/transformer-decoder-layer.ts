import { ConfigError, ShapeError, assertRank, assertShape, formatShape, tf } from '@tensorloom/core';
import { Dense } from '../core/dense.js';
import { Module } from '../module/module.js';
import type { ApplyOptions, Shape, ShapeOf } from '../module/module.js';
import { LayerNorm } from '../normalization/layer-norm.js';
import { resolveTransformerConfig, transformerBlocks, transformerModelDim } from './internal/transformer-shared.js';
import { MultiHeadAttention, multiHeadAttention } from './multi-head-attention.js';
import type { MultiHeadAttentionWeights, ProjectionWeights } from './multi-head-attention.js';
import { transformerLayerOutputShape } from './transformer-encoder-layer.js';
import type { LayerNormWeights, TransformerLayerConfig, TransformerLayerOptions } from './transformer-encoder-layer.js';

/**
 * The inputs of {@link TransformerDecoderLayer}.
 *
 * @example
 * ```ts
 * const input: TransformerDecoderInput = { target: shiftedTargets, memory: encoderOutput };
 * ```
 *
 * @group Attention
 */
export type TransformerDecoderInput = {
  /** The target sequence so far `[batch, targetLength, dModel]`. */
  readonly target: tf.Tensor;
  /** The encoder output `[batch, sourceLength, memoryFeatures]`. */
  readonly memory: tf.Tensor;
};

/**
 * Per-call options of {@link TransformerDecoderLayer.apply}: `mask` is the target key
 * padding mask `[batch, targetLength]`, `memoryMask` the source one.
 *
 * @example
 * ```ts
 * decoder.apply({ target, memory }, { mask: targetPadding, memoryMask: sourcePadding, training: true });
 * ```
 *
 * @group Attention
 */
export interface TransformerDecoderApplyOptions extends ApplyOptions {
  /** Memory key padding mask `[batch, sourceLength]`: `true` = a real token. Default none. */
  memoryMask?: tf.Tensor | null;
}

/**
 * The weights of {@link transformerDecoderLayer}.
 *
 * @example
 * ```ts
 * const y = transformerDecoderLayer(target, memory, decoder.weights());
 * ```
 *
 * @group Attention
 */
export interface TransformerDecoderLayerWeights {
  /** Causal self-attention over the target (`self_attn.*`). */
  selfAttention: MultiHeadAttentionWeights;
  /** Attention from the target to the memory (`cross_attn.*`). */
  crossAttention: MultiHeadAttentionWeights;
  /** FFN input layer (`ffn1.*`). */
  ffn1: ProjectionWeights;
  /** FFN output layer (`ffn2.*`). */
  ffn2: ProjectionWeights;
  /** Norm around the self-attention (`norm1.*`). */
  norm1: LayerNormWeights;
  /** Norm around the cross-attention (`norm2.*`). */
  norm2: LayerNormWeights;
  /** Norm around the FFN (`norm3.*`). */
  norm3: LayerNormWeights;
}

/**
 * Options of {@link transformerDecoderLayer}.
 *
 * @example
 * ```ts
 * const options: TransformerDecoderLayerOptions = { targetMask, memoryMask, normFirst: true };
 * ```
 *
 * @group Attention
 */
export interface TransformerDecoderLayerOptions extends TransformerLayerOptions {
  /** Target key padding mask `[batch, targetLength]`: `true` = a real token. Default none. */
  targetMask?: tf.Tensor | null;
  /** Memory key padding mask `[batch, sourceLength]`: `true` = a real token. Default none. */
  memoryMask?: tf.Tensor | null;
}

/**
 * One transformer decoder layer as a function of its weights (Vaswani et al. 2017,
 * https://arxiv.org/abs/1706.03762, §3.1; PyTorch's `nn.TransformerDecoderLayer`), with
 * causal self-attention: post-norm
 * `h1 = LN1(x + Drop(SA(x))); h2 = LN2(h1 + Drop(CA(h1, m))); y = LN3(h2 + Drop(FFN(h2)))`,
 * or pre-norm `h1 = x + Drop(SA(LN1 x)); h2 = h1 + Drop(CA(LN2 h1, m)); y = h2 + Drop(FFN(LN3 h2))`.
 * The memory `m` is used as given (not normalized).
 *
 * @param target - `[batch, targetLength, dModel]`.
 * @param memory - `[batch, sourceLength, memoryFeatures]`.
 * @param weights - see {@link TransformerDecoderLayerWeights}.
 * @param options - norm placement, activation, dropout, target and memory padding masks.
 * @returns `[batch, targetLength, dModel]`.
 * @throws ShapeError when the inputs do not fit the weights or each other.
 * @example
 * ```ts
 * const y = transformerDecoderLayer(target, memory, decoder.weights(), { memoryMask });
 * ```
 *
 * @group Attention
 */
export function transformerDecoderLayer(
  target: tf.Tensor,
  memory: tf.Tensor,
  weights: TransformerDecoderLayerWeights,
  options: TransformerDecoderLayerOptions = {},
): tf.Tensor {
  const unit = options.unit ?? 'transformerDecoderLayer';
  assertRank(unit, 'target', target, 3, '[batch, targetLength, dModel]');
  assertRank(unit, 'memory', memory, 3, '[batch, sourceLength, features]');
  const dModel = weights.ffn2.kernel.shape[1]!;
  if (target.shape[2] !== dModel) throw new ShapeError(`${unit}: target axis 2 expected ${dModel}, got shape ${formatShape(target.shape)}`);
  const memoryFeatures = weights.crossAttention.value.kernel.shape[0]!;
  if (memory.shape[0] !== target.shape[0]) {
    throw new ShapeError(`${unit}: memory batch expected ${target.shape[0]} (the target's), got shape ${formatShape(memory.shape)}`);
  }
  if (memory.shape[2] !== memoryFeatures) throw new ShapeError(`${unit}: memory axis 2 expected ${memoryFeatures}, got shape ${formatShape(memory.shape)}`);
  return tf.tidy(() => {
    const { norm, drop, ffn, rngs } = transformerBlocks(options, 6);
    const rate = options.dropoutRate ?? 0;
    const selfAttention = (t: tf.Tensor): tf.Tensor =>
      drop(
        multiHeadAttention({ query: t, value: t }, weights.selfAttention, {
          keyMask: options.targetMask ?? null,
          useCausalMask: true,
          dropoutRate: rate,
          rng: rngs[0],
          unit,
        }).output,
        1,
      );
    const crossAttention = (t: tf.Tensor): tf.Tensor =>
      drop(
        multiHeadAttention({ query: t, value: memory }, weights.crossAttention, { keyMask: options.memoryMask ?? null, dropoutRate: rate, rng: rngs[2], unit }).output,
        3,
      );
    const feedForward = (t: tf.Tensor): tf.Tensor => drop(ffn(t, weights.ffn1, weights.ffn2, 4), 5);
    if (options.normFirst) {
      const h1 = tf.add(target, selfAttention(norm(target, weights.norm1)));
      const h2 = tf.add(h1, crossAttention(norm(h1, weights.norm2)));
      return tf.add(h2, feedForward(norm(h2, weights.norm3)));
    }
    const h1 = norm(tf.add(target, selfAttention(target)), weights.norm1);
    const h2 = norm(tf.add(h1, crossAttention(h1)), weights.norm2);
    return norm(tf.add(h2, feedForward(h2)), weights.norm3);
  });
}

/**
 * A transformer decoder layer (Vaswani et al. 2017, https://arxiv.org/abs/1706.03762, §3.1):
 * causal multi-head self-attention over the target, multi-head attention over the encoder
 * output (`memory`), then a position-wise feed-forward network; each sublayer with a residual
 * connection, dropout and layer norm (post-norm by default, pre-norm with `normFirst`).
 * See {@link transformerDecoderLayer}.
 *
 * Call it with `apply({ target, memory }, { mask, memoryMask, training })`: `mask` is the
 * target key padding mask `[batch, targetLength]`, `memoryMask` the memory's
 * `[batch, sourceLength]` (`true` = a real token). Self-attention is always causal.
 *
 * Input shape: `target` `[batch, T, dModel]` (`dModel` a multiple of `numHeads`), `memory`
 * `[batch, S, memoryFeatures]`. Output shape: `[batch, T, dModel]`.
 *
 * Parameters: `self_attn.*` and `cross_attn.*` (see {@link MultiHeadAttention}; the
 * cross-attention's key/value kernels are `[memoryFeatures, H, dModel/H]`), `ffn1.*`,
 * `ffn2.*`, `norm1.*`, `norm2.*`, `norm3.*`.
 *
 * @example
 * ```ts
 * const decoder = new TransformerDecoderLayer({ numHeads: 4, dimFeedforward: 128, name: 'dec1' })
 *   .build({ target: [null, 12, 64], memory: [null, 20, 64] }, rng(1));
 * const y = decoder.apply({ target, memory }, { mask: targetPadding, memoryMask: sourcePadding });
 * ```
 *
 * @group Attention
 */
export class TransformerDecoderLayer extends Module<TransformerDecoderInput, tf.Tensor> {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<TransformerLayerConfig, 'name'>>;
  /** Causal self-attention, after build. */
  selfAttention: MultiHeadAttention | null = null;
  /** Cross-attention over the memory, after build. */
  crossAttention: MultiHeadAttention | null = null;
  /** FFN input layer, after build. */
  ffn1: Dense | null = null;
  /** FFN output layer, after build. */
  ffn2: Dense | null = null;
  /** Norm of the self-attention sublayer, after build. */
  norm1: LayerNorm | null = null;
  /** Norm of the cross-attention sublayer, after build. */
  norm2: LayerNorm | null = null;
  /** Norm of the FFN sublayer, after build. */
  norm3: LayerNorm | null = null;

  constructor(config: TransformerLayerConfig) {
    super(config);
    this.config = resolveTransformerConfig(`TransformerDecoderLayer '${this.name}'`, config);
  }

  /**
   * Runs the layer; see {@link TransformerDecoderApplyOptions}.
   *
   * @returns `[batch, targetLength, dModel]`.
   */
  override apply(input: TransformerDecoderInput, options: TransformerDecoderApplyOptions = {}): tf.Tensor {
    return super.apply(input, options);
  }

  protected override onBuild(inputShape: ShapeOf<TransformerDecoderInput>): void {
    const c = this.config;
    const dModel = transformerModelDim(this.label, 'target', inputShape.target, c.numHeads);
    const memory = inputShape.memory;
    if (memory === undefined || memory.length !== 3 || typeof memory[2] !== 'number') {
      throw new ShapeError(`${this.label}: memory expected rank 3 [batch, time, features] with known features, got ${memory === undefined ? 'nothing' : formatShape(memory)}`);
    }
    const attention = (name: string): MultiHeadAttention => new MultiHeadAttention({ name, numHeads: c.numHeads, dropout: c.dropout });
    // dModel comes from the input, so the children are made at build (`??=`: once).
    this.selfAttention ??= this.addModule('self_attn', attention('self_attn'));
    this.crossAttention ??= this.addModule('cross_attn', attention('cross_attn'));
    this.ffn1 ??= this.addModule('ffn1', new Dense({ name: 'ffn1', units: c.dimFeedforward }));
    this.ffn2 ??= this.addModule('ffn2', new Dense({ name: 'ffn2', units: dModel }));
    this.norm1 ??= this.addModule('norm1', new LayerNorm({ name: 'norm1', epsilon: c.layerNormEps }));
    this.norm2 ??= this.addModule('norm2', new LayerNorm({ name: 'norm2', epsilon: c.layerNormEps }));
    this.norm3 ??= this.addModule('norm3', new LayerNorm({ name: 'norm3', epsilon: c.layerNormEps }));
    const shape: Shape = [null, null, dModel];
    this.selfAttention.build({ query: shape, value: shape });
    this.crossAttention.build({ query: shape, value: [null, null, memory[2]] });
    this.ffn1.build(shape);
    this.ffn2.build([null, null, c.dimFeedforward]);
    for (const norm of [this.norm1, this.norm2, this.norm3]) norm.build(shape);
  }

  override outputShape(inputShape: ShapeOf<TransformerDecoderInput>): Shape {
    return transformerLayerOutputShape(inputShape.target);
  }

  /**
   * The live weights, for {@link transformerDecoderLayer}.
   *
   * @throws ConfigError before build.
   * @example
   * ```ts
   * const { crossAttention } = decoder.weights(); // crossAttention.key.kernel: [memoryFeatures, H, dModel/H]
   * ```
   */
  weights(): TransformerDecoderLayerWeights {
    if (!this.built) throw new ConfigError(`${this.label}: weights need a built module`, { help: 'call build() or apply() first' });
    const norm = (n: LayerNorm | null): LayerNormWeights => ({ gamma: n!.gamma, beta: n!.beta });
    return {
      selfAttention: this.selfAttention!.weights(),
      crossAttention: this.crossAttention!.weights(),
      ffn1: { kernel: this.ffn1!.kernel!, bias: this.ffn1!.bias },
      ffn2: { kernel: this.ffn2!.kernel!, bias: this.ffn2!.bias },
      norm1: norm(this.norm1),
      norm2: norm(this.norm2),
      norm3: norm(this.norm3),
    };
  }

  protected call(input: TransformerDecoderInput, options: ApplyOptions): tf.Tensor {
    const c = this.config;
    const o = options as TransformerDecoderApplyOptions;
    const { target, memory } = input;
    assertRank(this.label, 'target', target, 3, '[batch, targetLength, dModel]');
    assertRank(this.label, 'memory', memory, 3, '[batch, sourceLength, features]');
    if (o.mask) assertShape(this.label, 'mask', o.mask, [target.shape[0]!, target.shape[1]!]);
    if (o.memoryMask) assertShape(this.label, 'memoryMask', o.memoryMask, [memory.shape[0]!, memory.shape[1]!]);
    return transformerDecoderLayer(target, memory, this.weights(), {
      normFirst: c.normFirst,
      layerNormEps: c.layerNormEps,
      activation: c.activation,
      dropoutRate: c.dropout,
      rng: o.training && c.dropout > 0 ? this.nextRng() : null,
      targetMask: o.mask ?? null,
      memoryMask: o.memoryMask ?? null,
      unit: this.label,
    });
  }
}

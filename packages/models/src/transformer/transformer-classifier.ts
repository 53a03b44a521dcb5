import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Dense, Embedding, LayerNorm, Module, PositionalEmbedding, TransformerEncoderLayer, dropout, initializers } from '@tensorloom/layers';
import type { ActivationFn, ActivationName, ApplyOptions, Shape } from '@tensorloom/layers';
import { ModuleList } from './internal/module-list.js';

/**
 * Configuration of {@link TransformerClassifier}.
 *
 * @example
 * ```ts
 * const config: TransformerClassifierConfig = { vocabSize: 30522, numClasses: 2, dModel: 256, numLayers: 4, pooling: 'mean' };
 * ```
 */
export interface TransformerClassifierConfig {
  /** The model's name. Default `'transformer_classifier'`. */
  name?: string;
  /** Vocabulary size. Required, a positive integer. */
  vocabSize: number;
  /** Output classes (logits). Required, a positive integer. */
  numClasses: number;
  /** The longest sequence (rows of the learned position table). Default `512`. */
  maxLength?: number;
  /** Model width. Default `256`. */
  dModel?: number;
  /** Encoder layers. Default `4`. */
  numLayers?: number;
  /** Attention heads; `dModel` must be a multiple of it. Default `4`. */
  numHeads?: number;
  /** Feed-forward hidden size. Default `4·dModel`. */
  dimFeedforward?: number;
  /** Dropout in training (embeddings, attention, sublayers, before the head), in [0, 1). Default `0.1`. */
  dropout?: number;
  /** FFN activation. Default `'gelu'` (exact, as BERT). */
  activation?: ActivationName | ActivationFn;
  /** Pre-norm encoder layers (then a final norm follows the stack). Default `false` (post-norm, as BERT). */
  normFirst?: boolean;
  /**
   * `'cls'`: classify from the first position (put a class token there, as BERT's `[CLS]`);
   * `'mean'`: the mean over the unpadded positions. Default `'cls'`.
   */
  pooling?: 'cls' | 'mean';
  /** The padding id: its positions are never attended to nor pooled. `null`: no padding. Default `0`. */
  padId?: number | null;
  /** Layer norm epsilon. Default `1e-5`. */
  layerNormEps?: number;
}

/**
 * {@link TransformerClassifierConfig} with every default applied.
 *
 * @example
 * ```ts
 * const { pooling, dModel }: ResolvedTransformerClassifierConfig = model.config;
 * ```
 */
export type ResolvedTransformerClassifierConfig = Required<Omit<TransformerClassifierConfig, 'name'>>;

/**
 * Resolves and checks a {@link TransformerClassifierConfig}.
 *
 * @throws ConfigError naming the first bad field.
 * @example
 * ```ts
 * resolveTransformerClassifierConfig({ vocabSize: 100, numClasses: 2 }).dimFeedforward; // 1024
 * ```
 */
export function resolveTransformerClassifierConfig(config: TransformerClassifierConfig, unit = 'TransformerClassifier'): ResolvedTransformerClassifierConfig {
  const int = (key: string, value: number): number => {
    if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${unit}: ${key} expected a positive integer, got ${value}`);
    return value;
  };
  const vocabSize = int('vocabSize', config.vocabSize);
  const dModel = int('dModel', config.dModel ?? 256);
  const numHeads = int('numHeads', config.numHeads ?? 4);
  if (dModel % numHeads !== 0) throw new ConfigError(`${unit}: dModel expected a multiple of numHeads ${numHeads}, got ${dModel}`);
  const rate = config.dropout ?? 0.1;
  if (!(rate >= 0 && rate < 1)) throw new ConfigError(`${unit}: dropout expected a rate in [0, 1), got ${rate}`);
  const pooling = config.pooling ?? 'cls';
  if (pooling !== 'cls' && pooling !== 'mean') throw new ConfigError(`${unit}: pooling expected 'cls' or 'mean', got '${String(pooling)}'`);
  const padId = config.padId === undefined ? 0 : config.padId;
  if (padId !== null && (!Number.isInteger(padId) || padId < 0 || padId >= vocabSize)) {
    throw new ConfigError(`${unit}: padId expected an integer in [0, ${vocabSize}) or null, got ${padId}`);
  }
  const eps = config.layerNormEps ?? 1e-5;
  if (!(eps > 0) || !Number.isFinite(eps)) throw new ConfigError(`${unit}: layerNormEps expected a positive number, got ${eps}`);
  return {
    vocabSize,
    numClasses: int('numClasses', config.numClasses),
    maxLength: int('maxLength', config.maxLength ?? 512),
    dModel,
    numLayers: int('numLayers', config.numLayers ?? 4),
    numHeads,
    dimFeedforward: int('dimFeedforward', config.dimFeedforward ?? 4 * dModel),
    dropout: rate,
    activation: config.activation ?? 'gelu',
    normFirst: config.normFirst ?? false,
    pooling,
    padId,
    layerNormEps: eps,
  };
}

/**
 * The parameter count of a {@link TransformerClassifier} in closed form:
 * `V·D + L·D + 2·D` (embeddings and their norm) `+ N·(4·D² + 4·D + 2·D·F + F + D + 4·D)`
 * (encoder layers) `+ 2·D` with `normFirst` (final norm) `+ D·C + C` (head).
 *
 * @param config - the model's configuration.
 * @returns the number of scalars.
 * @example
 * ```ts
 * transformerClassifierParameterCount({ vocabSize: 30522, numClasses: 2 }); // 11,104,770
 * ```
 */
export function transformerClassifierParameterCount(config: TransformerClassifierConfig): number {
  const c = resolveTransformerClassifierConfig(config);
  const d = c.dModel;
  const f = c.dimFeedforward;
  const layer = 4 * (d * d + d) + (d * f + f) + (f * d + d) + 4 * d;
  return c.vocabSize * d + c.maxLength * d + 2 * d + c.numLayers * layer + (c.normFirst ? 2 * d : 0) + d * c.numClasses + c.numClasses;
}

/**
 * An encoder-only transformer classifier, BERT style (Devlin et al. 2018,
 * https://arxiv.org/abs/1810.04805; the encoder of Vaswani et al. 2017,
 * https://arxiv.org/abs/1706.03762): token plus learned position embeddings and a layer norm,
 * `numLayers` {@link TransformerEncoderLayer}s with a padding mask, pooling (the first, class
 * token, position, or the mean of the unpadded positions) and a dense head. There are no
 * segment embeddings nor BERT's tanh pooler: the head reads the pooled vector directly.
 *
 * Input shape: int32 token ids `[batch, time ≤ maxLength]`. Output shape: logits `[batch, numClasses]`.
 *
 * Parameters: `token_embedding.embeddings` `[V, D]`, `position_embedding.embeddings` `[L, D]`,
 * `embedding_norm.*`, `layers.<i>.*` (see {@link TransformerEncoderLayer}), `final_norm.*`
 * (pre-norm only), `classifier.kernel` `[D, C]` and bias. The default config with
 * `vocabSize: 30522, numClasses: 2` has 11,104,770 parameters
 * ({@link transformerClassifierParameterCount}).
 *
 * @example
 * ```ts
 * const model = transformerClassifier({ vocabSize: 100, numClasses: 3, dModel: 32, numLayers: 2, numHeads: 4, pooling: 'mean' })
 *   .build([null, 16], rng(1));
 * const logits = model.apply(tf.tensor2d([[1, 7, 9, 0]], undefined, 'int32')); // [1, 3]; 0 is padding
 * ```
 */
export class TransformerClassifier extends Module {
  /** The configuration with defaults applied. */
  readonly config: ResolvedTransformerClassifierConfig;
  /** Token embedding. */
  readonly tokenEmbedding: Embedding;
  /** Learned positions. */
  readonly positionEmbedding: PositionalEmbedding;
  /** The norm of the summed embeddings. */
  readonly embeddingNorm: LayerNorm;
  /** The encoder layers. */
  readonly layers: readonly TransformerEncoderLayer[];
  /** The norm after a pre-norm stack, else `null`. */
  readonly finalNorm: LayerNorm | null;
  /** The head. */
  readonly classifier: Dense;

  constructor(config: TransformerClassifierConfig) {
    super({ name: config.name ?? 'transformer_classifier' });
    const c = resolveTransformerClassifierConfig(config, `TransformerClassifier '${this.name}'`);
    this.config = c;
    const init = initializers.truncatedNormal(0, 0.02);
    this.tokenEmbedding = this.addModule('token_embedding', new Embedding({ name: 'token_embedding', inputDim: c.vocabSize, outputDim: c.dModel, padId: c.padId, embeddingsInitializer: init }));
    this.positionEmbedding = this.addModule('position_embedding', new PositionalEmbedding({ name: 'position_embedding', maxLength: c.maxLength, initializer: init }));
    this.embeddingNorm = this.addModule('embedding_norm', new LayerNorm({ name: 'embedding_norm', epsilon: c.layerNormEps }));
    const layers = Array.from({ length: c.numLayers }, (_, i) =>
      new TransformerEncoderLayer({ name: String(i), numHeads: c.numHeads, dimFeedforward: c.dimFeedforward, dropout: c.dropout, activation: c.activation, normFirst: c.normFirst, layerNormEps: c.layerNormEps }),
    );
    this.addModule('layers', new ModuleList('layers', layers));
    this.layers = layers;
    this.finalNorm = c.normFirst ? this.addModule('final_norm', new LayerNorm({ name: 'final_norm', epsilon: c.layerNormEps })) : null;
    this.classifier = this.addModule('classifier', new Dense({ name: 'classifier', units: c.numClasses }));
  }

  protected override onBuild(_inputShape: Shape): void {
    const shape: Shape = [null, null, this.config.dModel];
    this.tokenEmbedding.build([null, null]);
    this.positionEmbedding.build([null, this.config.maxLength, this.config.dModel]);
    this.embeddingNorm.build(shape);
    for (const l of this.layers) l.build(shape);
    this.finalNorm?.build(shape);
    this.classifier.build([null, this.config.dModel]);
  }

  override outputShape(inputShape: Shape): Shape {
    return [inputShape[0] ?? null, this.config.numClasses];
  }

  protected call(ids: tf.Tensor, options: ApplyOptions): tf.Tensor {
    if (ids.rank !== 2) throw new ShapeError(`${this.label}: input expected rank 2 [batch, time] of token ids, got shape ${formatShape(ids.shape)}`);
    const c = this.config;
    return tf.tidy(() => {
      const training = options.training ?? false;
      const drop = (t: tf.Tensor): tf.Tensor => (training && c.dropout > 0 ? dropout(t, c.dropout, this.nextRng()) : t);
      const mask = this.tokenEmbedding.computeMask(ids, null); // (B, T) bool, or null
      const embedded = this.positionEmbedding.apply(this.tokenEmbedding.apply(ids)); // (B, T, D)
      let h = drop(this.embeddingNorm.apply(embedded));
      for (const layer of this.layers) h = layer.apply(h, { training, mask });
      if (this.finalNorm !== null) h = this.finalNorm.apply(h);
      const [b, t, d] = h.shape as [number, number, number];
      let pooled: tf.Tensor; // (B, D)
      if (c.pooling === 'cls') {
        pooled = tf.reshape(tf.slice(h, [0, 0, 0], [b, 1, d]), [b, d]);
      } else if (mask === null) {
        pooled = tf.mean(h, 1);
      } else {
        const m = tf.reshape(tf.cast(mask, 'float32'), [b, t, 1]); // (B, T, 1)
        // A row of padding only pools to zeros rather than 0/0.
        pooled = tf.div(tf.sum(tf.mul(h, m), 1), tf.maximum(tf.sum(m, 1), 1));
      }
      return this.classifier.apply(drop(pooled));
    });
  }
}

/**
 * Creates a {@link TransformerClassifier}.
 *
 * @param config - see {@link TransformerClassifierConfig}.
 * @returns the unbuilt model.
 * @throws ConfigError naming a bad field.
 * @example
 * ```ts
 * const model = transformerClassifier({ vocabSize: 8000, numClasses: 2, pooling: 'mean' });
 * ```
 */
export function transformerClassifier(config: TransformerClassifierConfig): TransformerClassifier {
  return new TransformerClassifier(config);
}

import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import {
  Dense,
  Embedding,
  LayerNorm,
  Module,
  PositionalEmbedding,
  TransformerDecoderLayer,
  TransformerEncoderLayer,
  dense,
  dropout,
  getActivation,
  layerNorm,
  sinusoidalPositionalEncoding,
} from '@tensorloom/layers';
import type { ActivationFn, ActivationName, ApplyOptions, LayerNormWeights, ShapeOf, TransformerDecoderLayerWeights } from '@tensorloom/layers';
import type { IncrementalDecoder } from '../decoding/incremental-decoder.js';
import { ModuleList } from './internal/module-list.js';
import { attendToMemory, cachedSelfAttention, projectMemory } from './kv-cache.js';
import type { KeyValueCache } from './kv-cache.js';

/**
 * Configuration of {@link Seq2SeqTransformer}. The dimensions default to the base model of
 * Vaswani et al. 2017.
 *
 * @example
 * ```ts
 * const tiny: Seq2SeqTransformerConfig = { sourceVocabSize: 40, targetVocabSize: 50, dModel: 32, numHeads: 4, numEncoderLayers: 2, numDecoderLayers: 2 };
 * ```
 */
export interface Seq2SeqTransformerConfig {
  /** The model's name. Default `'seq2seq_transformer'`. */
  name?: string;
  /** Source vocabulary size. Required, a positive integer. */
  sourceVocabSize: number;
  /** Target vocabulary size (logits). Required, a positive integer. */
  targetVocabSize: number;
  /** The longest source or target sequence with learned positions. Default `512`. */
  maxLength?: number;
  /** Model width. Default `512`. */
  dModel?: number;
  /** Encoder layers. Default `6`. */
  numEncoderLayers?: number;
  /** Decoder layers. Default `6`. */
  numDecoderLayers?: number;
  /** Attention heads; `dModel` must be a multiple of it. Default `8`. */
  numHeads?: number;
  /** Feed-forward hidden size. Default `4·dModel`. */
  dimFeedforward?: number;
  /** Dropout in training, in [0, 1). Default `0.1`. */
  dropout?: number;
  /** FFN activation. Default `'relu'`. */
  activation?: ActivationName | ActivationFn;
  /** Pre-norm layers (with a final norm after each stack). Default `false` (post-norm, as the paper). */
  normFirst?: boolean;
  /** `'sinusoidal'` (the paper) or `'learned'` positions. Default `'sinusoidal'`. */
  positions?: 'sinusoidal' | 'learned';
  /** Share the target embedding with the output projection (the paper, §3.4). Default `true`. */
  tieWeights?: boolean;
  /** Padding id of source and target: padded source positions are never attended to. `null`: none. Default `0`. */
  padId?: number | null;
  /** Layer norm epsilon. Default `1e-5`. */
  layerNormEps?: number;
}

/**
 * {@link Seq2SeqTransformerConfig} with every default applied.
 *
 * @example
 * ```ts
 * const { dModel, positions }: ResolvedSeq2SeqTransformerConfig = model.config;
 * ```
 */
export type ResolvedSeq2SeqTransformerConfig = Required<Omit<Seq2SeqTransformerConfig, 'name'>>;

/**
 * The inputs of {@link Seq2SeqTransformer}: source ids and the decoder's input ids (the target
 * shifted right behind a start token: teacher forcing).
 *
 * @example
 * ```ts
 * const input: Seq2SeqInput = { source, target: shiftedTarget };
 * ```
 */
export type Seq2SeqInput = {
  /** Source ids `[batch, sourceLength]`, int32. */
  readonly source: tf.Tensor;
  /** Decoder input ids `[batch, targetLength]`, int32. */
  readonly target: tf.Tensor;
};

/**
 * What {@link Seq2SeqTransformer.encode} returns.
 *
 * @example
 * ```ts
 * const { memory, memoryMask }: EncodedSource = model.encode(source);
 * ```
 */
export type EncodedSource = {
  /** The encoder output `[batch, S, dModel]`. */
  readonly memory: tf.Tensor;
  /** The source padding mask `[batch, S]` (`true` = a real token), or `null` without `padId`. */
  readonly memoryMask: tf.Tensor | null;
};

/**
 * Resolves and checks a {@link Seq2SeqTransformerConfig}.
 *
 * @throws ConfigError naming the first bad field.
 * @example
 * ```ts
 * resolveSeq2SeqTransformerConfig({ sourceVocabSize: 10, targetVocabSize: 10 }).dimFeedforward; // 2048
 * ```
 */
export function resolveSeq2SeqTransformerConfig(config: Seq2SeqTransformerConfig, unit = 'Seq2SeqTransformer'): ResolvedSeq2SeqTransformerConfig {
  const int = (key: string, value: number): number => {
    if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${unit}: ${key} expected a positive integer, got ${value}`);
    return value;
  };
  const sourceVocabSize = int('sourceVocabSize', config.sourceVocabSize);
  const targetVocabSize = int('targetVocabSize', config.targetVocabSize);
  const dModel = int('dModel', config.dModel ?? 512);
  const numHeads = int('numHeads', config.numHeads ?? 8);
  if (dModel % numHeads !== 0) throw new ConfigError(`${unit}: dModel expected a multiple of numHeads ${numHeads}, got ${dModel}`);
  const rate = config.dropout ?? 0.1;
  if (!(rate >= 0 && rate < 1)) throw new ConfigError(`${unit}: dropout expected a rate in [0, 1), got ${rate}`);
  const positions = config.positions ?? 'sinusoidal';
  if (positions !== 'sinusoidal' && positions !== 'learned') throw new ConfigError(`${unit}: positions expected 'sinusoidal' or 'learned', got '${String(positions)}'`);
  const padId = config.padId === undefined ? 0 : config.padId;
  const vocab = Math.min(sourceVocabSize, targetVocabSize);
  if (padId !== null && (!Number.isInteger(padId) || padId < 0 || padId >= vocab)) {
    throw new ConfigError(`${unit}: padId expected an integer in [0, ${vocab}) (both vocabularies) or null, got ${padId}`);
  }
  const eps = config.layerNormEps ?? 1e-5;
  if (!(eps > 0) || !Number.isFinite(eps)) throw new ConfigError(`${unit}: layerNormEps expected a positive number, got ${eps}`);
  const activation = config.activation ?? 'relu';
  getActivation(activation, unit);
  return {
    sourceVocabSize,
    targetVocabSize,
    maxLength: int('maxLength', config.maxLength ?? 512),
    dModel,
    numEncoderLayers: int('numEncoderLayers', config.numEncoderLayers ?? 6),
    numDecoderLayers: int('numDecoderLayers', config.numDecoderLayers ?? 6),
    numHeads,
    dimFeedforward: int('dimFeedforward', config.dimFeedforward ?? 4 * dModel),
    dropout: rate,
    activation,
    normFirst: config.normFirst ?? false,
    positions,
    tieWeights: config.tieWeights ?? true,
    padId,
    layerNormEps: eps,
  };
}

/**
 * The parameter count of a {@link Seq2SeqTransformer} in closed form: embeddings
 * `(Vs + Vt)·D` (`+ 2·L·D` learned positions), encoder layers `4·D² + 4·D + 2·D·F + F + D + 4·D`
 * each, decoder layers that plus `4·D² + 4·D + 2·D` (cross-attention and its norm), `4·D`
 * final norms with `normFirst`, `D·Vt + Vt` for an untied head.
 *
 * @param config - the model's configuration.
 * @returns the number of scalars.
 * @example
 * ```ts
 * seq2seqTransformerParameterCount({ sourceVocabSize: 37000, targetVocabSize: 37000 }); // 82,026,496
 * ```
 */
export function seq2seqTransformerParameterCount(config: Seq2SeqTransformerConfig): number {
  const c = resolveSeq2SeqTransformerConfig(config);
  const d = c.dModel;
  const f = c.dimFeedforward;
  const attention = 4 * (d * d + d);
  const ffn = d * f + f + f * d + d;
  const encoder = attention + ffn + 4 * d;
  const decoder = 2 * attention + ffn + 6 * d;
  return (
    (c.sourceVocabSize + c.targetVocabSize) * d +
    (c.positions === 'learned' ? 2 * c.maxLength * d : 0) +
    c.numEncoderLayers * encoder +
    c.numDecoderLayers * decoder +
    (c.normFirst ? 4 * d : 0) +
    (c.tieWeights ? 0 : d * c.targetVocabSize + c.targetVocabSize)
  );
}

/**
 * The state of a {@link Seq2SeqTransformer} decoder: the source memory of its rows and either
 * the decoder's key/value caches or the tokens so far.
 *
 * @example
 * ```ts
 * const state: Seq2SeqTransformerState = model.decoder(source).init([0, 0, 1, 1]);
 * ```
 */
export type Seq2SeqTransformerState = {
  /** The encoder output of each row `[rows, S, D]` (uncached decoding). */
  readonly memory: tf.Tensor;
  /** Source padding `[rows, S]` (`true` = a real token), or `null`. */
  readonly memoryMask: tf.Tensor | null;
  /** Per decoder layer, the memory projected to cross-attention keys and values (cached decoding), else `null`. */
  readonly memoryKV: readonly KeyValueCache[] | null;
  /** Per decoder layer, the self-attention cache (cached decoding, after the first step), else `null`. */
  readonly caches: readonly KeyValueCache[] | null;
  /** Target positions fed so far. */
  readonly length: number;
  /** The tokens so far per row (uncached decoding), else `null`. */
  readonly tokens: readonly (readonly number[])[] | null;
};

/**
 * Options of {@link Seq2SeqTransformer.decoder}.
 *
 * @example
 * ```ts
 * const reference = model.decoder(source, { cache: false } satisfies Seq2SeqDecoderOptions);
 * ```
 */
export interface Seq2SeqDecoderOptions {
  /** Keep the decoder's keys and values (and the memory's projections) between steps. Default `true`. */
  cache?: boolean;
}

/**
 * The encoder–decoder transformer of Vaswani et al. 2017 (https://arxiv.org/abs/1706.03762):
 * source and target embeddings scaled by `√dModel` plus sinusoidal (or learned) positions,
 * a stack of {@link TransformerEncoderLayer}s over the source (padding masked), a stack of
 * {@link TransformerDecoderLayer}s (causal self-attention, attention to the encoder output)
 * over the target, and an output projection tied to the target embedding by default.
 * Training feeds the target shifted right (teacher forcing); generation goes through
 * {@link Seq2SeqTransformer.decoder} and {@link greedyDecode} / {@link beamSearch} /
 * {@link sampleDecode}, with a key/value cache.
 *
 * Input shape: `{ source: [batch, S], target: [batch, T] }` int32 ids.
 * Output shape: logits `[batch, T, targetVocabSize]`.
 *
 * Parameters: `source_embedding.embeddings`, `target_embedding.embeddings`, learned
 * `source_positions`/`target_positions`, `encoder.<i>.*`, `decoder.<i>.*`, `encoder_norm`/
 * `decoder_norm` (pre-norm), `output.*` (untied). The default dimensions with
 * 37,000-token vocabularies have 82,026,496 parameters ({@link seq2seqTransformerParameterCount};
 * the paper's 65M shares one vocabulary between source and target).
 *
 * @example
 * ```ts
 * const model = seq2seqTransformer({ sourceVocabSize: 20, targetVocabSize: 20, dModel: 32, numHeads: 4, numEncoderLayers: 2, numDecoderLayers: 2 })
 *   .build({ source: [null, null], target: [null, null] }, rng(1));
 * const logits = model.apply({ source, target: shifted }); // [batch, T, 20]
 * const tokens = greedyDecode(model.decoder(source), { prompts: [[1], [1]], maxLength: 12, endToken: 2 });
 * ```
 */
export class Seq2SeqTransformer extends Module<Seq2SeqInput, tf.Tensor> {
  /** The configuration with defaults applied. */
  readonly config: ResolvedSeq2SeqTransformerConfig;
  /** Source token embedding. */
  readonly sourceEmbedding: Embedding;
  /** Target token embedding. */
  readonly targetEmbedding: Embedding;
  /** Learned source positions, or `null`. */
  readonly sourcePositions: PositionalEmbedding | null;
  /** Learned target positions, or `null`. */
  readonly targetPositions: PositionalEmbedding | null;
  /** The encoder layers. */
  readonly encoderLayers: readonly TransformerEncoderLayer[];
  /** The decoder layers. */
  readonly decoderLayers: readonly TransformerDecoderLayer[];
  /** Final encoder norm (pre-norm), or `null`. */
  readonly encoderNorm: LayerNorm | null;
  /** Final decoder norm (pre-norm), or `null`. */
  readonly decoderNorm: LayerNorm | null;
  /** Untied output projection, or `null`. */
  readonly outputProjection: Dense | null;
  private sinusoids: Float32Array | null = null;

  constructor(config: Seq2SeqTransformerConfig) {
    super({ name: config.name ?? 'seq2seq_transformer' });
    const c = resolveSeq2SeqTransformerConfig(config, `Seq2SeqTransformer '${this.name}'`);
    this.config = c;
    const emb = (name: string, vocab: number): Embedding => this.addModule(name, new Embedding({ name, inputDim: vocab, outputDim: c.dModel, padId: c.padId, embeddingsInitializer: 'glorotUniform' }));
    this.sourceEmbedding = emb('source_embedding', c.sourceVocabSize);
    this.targetEmbedding = emb('target_embedding', c.targetVocabSize);
    const pos = (name: string): PositionalEmbedding | null => (c.positions === 'learned' ? this.addModule(name, new PositionalEmbedding({ name, maxLength: c.maxLength })) : null);
    this.sourcePositions = pos('source_positions');
    this.targetPositions = pos('target_positions');
    const layer = { numHeads: c.numHeads, dimFeedforward: c.dimFeedforward, dropout: c.dropout, activation: c.activation, normFirst: c.normFirst, layerNormEps: c.layerNormEps };
    const enc = Array.from({ length: c.numEncoderLayers }, (_, i) => new TransformerEncoderLayer({ ...layer, name: String(i) }));
    const dec = Array.from({ length: c.numDecoderLayers }, (_, i) => new TransformerDecoderLayer({ ...layer, name: String(i) }));
    this.addModule('encoder', new ModuleList('encoder', enc));
    this.addModule('decoder', new ModuleList('decoder', dec));
    this.encoderLayers = enc;
    this.decoderLayers = dec;
    const norm = (name: string): LayerNorm | null => (c.normFirst ? this.addModule(name, new LayerNorm({ name, epsilon: c.layerNormEps })) : null);
    this.encoderNorm = norm('encoder_norm');
    this.decoderNorm = norm('decoder_norm');
    this.outputProjection = c.tieWeights ? null : this.addModule('output', new Dense({ name: 'output', units: c.targetVocabSize }));
  }

  protected override onBuild(_inputShape: ShapeOf<Seq2SeqInput>): void {
    const c = this.config;
    const shape = [null, null, c.dModel];
    this.sourceEmbedding.build([null, null]);
    this.targetEmbedding.build([null, null]);
    this.sourcePositions?.build([null, c.maxLength, c.dModel]);
    this.targetPositions?.build([null, c.maxLength, c.dModel]);
    for (const l of this.encoderLayers) l.build(shape);
    for (const l of this.decoderLayers) l.build({ target: shape, memory: shape });
    this.encoderNorm?.build(shape);
    this.decoderNorm?.build(shape);
    this.outputProjection?.build(shape);
  }

  override outputShape(inputShape: ShapeOf<Seq2SeqInput>): [number | null, number | null, number] {
    return [inputShape.target[0] ?? null, inputShape.target[1] ?? null, this.config.targetVocabSize];
  }

  private checkIds(arg: string, ids: tf.Tensor): void {
    if (ids.rank !== 2) throw new ShapeError(`${this.label}: ${arg} expected rank 2 [batch, length] of token ids, got shape ${formatShape(ids.shape)}`);
  }

  /** `√D·E[ids] + P[offset : offset + T]`: `[B, T, D]`. */
  private embed(ids: tf.Tensor, table: Embedding, positions: PositionalEmbedding | null, offset: number): tf.Tensor {
    const c = this.config;
    const t = ids.shape[1]!;
    if (positions !== null && offset + t > c.maxLength) {
      throw new ShapeError(`${this.label}: sequence length expected at most ${c.maxLength} (maxLength), got ${offset + t}`);
    }
    return tf.tidy(() => {
      const tokens = tf.mul(table.apply(ids), Math.sqrt(c.dModel)); // (B, T, D); the layer checks the ids
      if (positions !== null) return tf.add(tokens, tf.slice(positions.embeddings!, [offset, 0], [t, c.dModel]));
      if (this.sinusoids === null || this.sinusoids.length < (offset + t) * c.dModel) {
        const rows = Math.max(offset + t, 2 * (this.sinusoids?.length ?? 0) / c.dModel, 64);
        const table2 = sinusoidalPositionalEncoding(rows, c.dModel);
        this.sinusoids = table2.dataSync() as Float32Array;
        table2.dispose();
      }
      return tf.add(tokens, tf.tensor2d(this.sinusoids.subarray(offset * c.dModel, (offset + t) * c.dModel), [t, c.dModel]));
    });
  }

  /**
   * Runs the encoder: the memory `[batch, S, dModel]` and the source padding mask
   * `[batch, S]` (`null` without `padId`).
   *
   * @param source - source ids `[batch, S]`.
   * @param options - `training`.
   * @returns `{ memory, memoryMask }`, owned by the caller.
   * @example
   * ```ts
   * const { memory, memoryMask } = model.encode(source);
   * ```
   */
  encode(source: tf.Tensor, options: ApplyOptions = {}): EncodedSource {
    if (!this.built) this.build({ source: [null, null], target: [null, null] });
    this.checkIds('source', source);
    const c = this.config;
    const training = options.training ?? false;
    const memoryMask = this.sourceEmbedding.computeMask(source, null);
    const memory = tf.tidy(() => {
      let h = this.embed(source, this.sourceEmbedding, this.sourcePositions, 0);
      if (training && c.dropout > 0) h = dropout(h, c.dropout, this.nextRng());
      for (const l of this.encoderLayers) h = l.apply(h, { training, mask: memoryMask });
      return this.encoderNorm === null ? h : this.encoderNorm.apply(h);
    });
    return { memory, memoryMask };
  }

  /** Output projection of decoder states `[B, T, D]`: `[B, T, V]`. */
  private project(h: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [b, t, d] = h.shape as [number, number, number];
      const flat = tf.reshape(h, [b * t, d]); // (B·T, D)
      const logits = this.outputProjection === null ? tf.matMul(flat, this.targetEmbedding.embeddings!, false, true) : dense(flat, this.outputProjection.kernel!, this.outputProjection.bias);
      return tf.reshape(logits, [b, t, this.config.targetVocabSize]);
    });
  }

  /**
   * Decoder logits `[B, T, V]` for target ids given the memory (the uncached path). Training
   * masks padded target positions; decoding does not (every generated token is real, as in
   * the cached path).
   */
  private decodeFull(target: tf.Tensor, memory: tf.Tensor, memoryMask: tf.Tensor | null, training: boolean, maskTarget = true): tf.Tensor {
    const c = this.config;
    return tf.tidy(() => {
      const mask = maskTarget ? this.targetEmbedding.computeMask(target, null) : null;
      let h = this.embed(target, this.targetEmbedding, this.targetPositions, 0);
      if (training && c.dropout > 0) h = dropout(h, c.dropout, this.nextRng());
      for (const l of this.decoderLayers) h = l.apply({ target: h, memory }, { training, mask, memoryMask });
      if (this.decoderNorm !== null) h = this.decoderNorm.apply(h);
      return this.project(h);
    });
  }

  protected call(input: Seq2SeqInput, options: ApplyOptions): tf.Tensor {
    this.checkIds('target', input.target);
    const { memory, memoryMask } = this.encode(input.source, options);
    try {
      return this.decodeFull(input.target, memory, memoryMask, options.training ?? false);
    } finally {
      tf.dispose([memory, memoryMask ?? []].flat());
    }
  }

  /** One cached decoder step over new target ids `[B, n]`: last-position logits and new caches. */
  private cachedStep(ids: tf.Tensor, state: Seq2SeqTransformerState): { logits: tf.Tensor2D; caches: KeyValueCache[] } {
    const c = this.config;
    return tf.tidy(() => {
      let h = this.embed(ids, this.targetEmbedding, this.targetPositions, state.length);
      const caches: KeyValueCache[] = [];
      this.decoderLayers.forEach((layer, i) => {
        const w: TransformerDecoderLayerWeights = layer.weights();
        const norm = (x: tf.Tensor, n: LayerNormWeights): tf.Tensor => layerNorm(x, n.gamma, n.beta, [2], c.layerNormEps);
        const act = getActivation(c.activation);
        const ffn = (x: tf.Tensor): tf.Tensor => dense(dense(x, w.ffn1.kernel, w.ffn1.bias, act), w.ffn2.kernel, w.ffn2.bias);
        const self = (x: tf.Tensor): tf.Tensor => {
          const r = cachedSelfAttention(x, w.selfAttention, state.caches === null ? null : state.caches[i]!);
          caches.push(r.cache);
          return r.output;
        };
        const cross = (x: tf.Tensor): tf.Tensor => attendToMemory(x, w.crossAttention, state.memoryKV![i]!, state.memoryMask);
        if (c.normFirst) {
          const h1 = tf.add(h, self(norm(h, w.norm1)));
          const h2 = tf.add(h1, cross(norm(h1, w.norm2)));
          h = tf.add(h2, ffn(norm(h2, w.norm3)));
        } else {
          const h1 = norm(tf.add(h, self(h)), w.norm1);
          const h2 = norm(tf.add(h1, cross(h1)), w.norm2);
          h = norm(tf.add(h2, ffn(h2)), w.norm3);
        }
      });
      if (this.decoderNorm !== null) h = this.decoderNorm.apply(h);
      const [b, t, d] = h.shape as [number, number, number];
      const logits = tf.reshape(this.project(tf.slice(h, [0, t - 1, 0], [b, 1, d])), [b, c.targetVocabSize]) as tf.Tensor2D;
      return { logits, caches };
    });
  }

  /**
   * An {@link IncrementalDecoder} for `source` (`[batch, S]` ids; the caller keeps and
   * disposes it): `init(rows)` encodes the chosen source rows; with `cache: true` (the
   * default) each step runs the new target positions only, reusing the decoder's keys and
   * values and the memory's projections; with `cache: false` each step reruns the decoder
   * over the whole target.
   *
   * @example
   * ```ts
   * const beams = beamSearch(model.decoder(source), { prompts: [[bos], [bos]], beamWidth: 4, maxLength: 20, endToken: eos });
   * ```
   */
  decoder(source: tf.Tensor, options: Seq2SeqDecoderOptions = {}): IncrementalDecoder<Seq2SeqTransformerState> {
    if (!this.built) this.build({ source: [null, null], target: [null, null] });
    this.checkIds('source', source);
    const useCache = options.cache ?? true;
    const batch = source.shape[0]!;
    const toIds = (tokens: readonly (readonly number[])[]): tf.Tensor2D => tf.tensor2d(tokens.map((r) => [...r]), [tokens.length, tokens[0]!.length], 'int32');
    const release = (s: Seq2SeqTransformerState): void => {
      tf.dispose([s.memory, ...(s.memoryMask === null ? [] : [s.memoryMask])]);
      for (const kv of [...(s.memoryKV ?? []), ...(s.caches ?? [])]) tf.dispose([kv.key, kv.value]);
    };
    const gatherKV = (list: readonly KeyValueCache[] | null, index: tf.Tensor): KeyValueCache[] | null =>
      list === null ? null : list.map((kv) => ({ key: tf.gather(kv.key, index), value: tf.gather(kv.value, index) }));
    return {
      vocabSize: this.config.targetVocabSize,
      sourceRows: batch,
      init: (rows) => {
        rows.forEach((r, i) => {
          if (!Number.isInteger(r) || r < 0 || r >= batch) throw new ShapeError(`${this.label}: decoder row ${i} expected a source row in [0, ${batch}), got ${r}`);
        });
        const index = tf.tensor1d([...rows], 'int32');
        const picked = tf.gather(source, index);
        const { memory, memoryMask } = this.encode(picked);
        tf.dispose([index, picked]);
        const memoryKV = useCache ? this.decoderLayers.map((l) => projectMemory(memory, l.crossAttention!.weights())) : null;
        return { memory, memoryMask, memoryKV, caches: null, length: 0, tokens: useCache ? null : rows.map(() => []) };
      },
      step: (state, tokens) => {
        if (!useCache) {
          const all = state.tokens!.map((r, i) => [...r, ...tokens[i]!]);
          const logits = tf.tidy(() => {
            const out = this.decodeFull(toIds(all), state.memory, state.memoryMask, false, false); // (R, T, V)
            const [r, t, v] = out.shape as [number, number, number];
            return tf.reshape(tf.slice(out, [0, t - 1, 0], [r, 1, v]), [r, v]) as tf.Tensor2D;
          });
          return { logits, state: { ...state, tokens: all, length: all[0]!.length } };
        }
        const ids = toIds(tokens);
        try {
          const { logits, caches } = this.cachedStep(ids, state);
          for (const kv of state.caches ?? []) tf.dispose([kv.key, kv.value]);
          return { logits, state: { ...state, caches, length: state.length + tokens[0]!.length } };
        } finally {
          ids.dispose();
        }
      },
      select: (state, rows) => {
        const index = tf.tensor1d([...rows], 'int32');
        const next: Seq2SeqTransformerState = {
          memory: tf.gather(state.memory, index),
          memoryMask: state.memoryMask === null ? null : tf.gather(state.memoryMask, index),
          memoryKV: gatherKV(state.memoryKV, index),
          caches: gatherKV(state.caches, index),
          length: state.length,
          tokens: state.tokens === null ? null : rows.map((r) => state.tokens![r]!),
        };
        index.dispose();
        release(state);
        return next;
      },
      dispose: release,
    };
  }
}

/**
 * Creates a {@link Seq2SeqTransformer}.
 *
 * @param config - see {@link Seq2SeqTransformerConfig}.
 * @returns the unbuilt model.
 * @throws ConfigError naming a bad field.
 * @example
 * ```ts
 * const g2p = seq2seqTransformer({ sourceVocabSize: 30, targetVocabSize: 45, dModel: 128, numHeads: 4, numEncoderLayers: 3, numDecoderLayers: 3 });
 * ```
 */
export function seq2seqTransformer(config: Seq2SeqTransformerConfig): Seq2SeqTransformer {
  return new Seq2SeqTransformer(config);
}

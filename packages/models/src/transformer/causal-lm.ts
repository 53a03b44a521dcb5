import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Dense, Embedding, LayerNorm, Module, PositionalEmbedding, dropout, initializers, layerNorm, sinusoidalPositionalEncoding } from '@tensorloom/layers';
import type { ActivationFn, ActivationName, ApplyOptions, ModuleConfig, Shape } from '@tensorloom/layers';
import type { IncrementalDecoder } from '../decoding/incremental-decoder.js';
import { GPTBlock } from './gpt-block.js';
import { ModuleList } from './internal/module-list.js';
import type { KeyValueCache } from './kv-cache.js';

/**
 * Configuration of {@link CausalLM}. The defaults are GPT-2 small (124,439,808 parameters).
 *
 * @example
 * ```ts
 * const tiny: CausalLMConfig = { vocabSize: 64, contextLength: 32, dModel: 32, numLayers: 2, numHeads: 4 };
 * ```
 */
export interface CausalLMConfig extends ModuleConfig {
  /** Vocabulary size. Default `50257` (GPT-2's BPE). */
  vocabSize?: number;
  /** The longest sequence (rows of the learned position table). Default `1024`. */
  contextLength?: number;
  /** Model width. Default `768`. */
  dModel?: number;
  /** Number of {@link GPTBlock}s. Default `12`. */
  numLayers?: number;
  /** Attention heads per block; `dModel` must be a multiple of it. Default `12`. */
  numHeads?: number;
  /** MLP hidden size. Default `4·dModel`. */
  dimFeedforward?: number;
  /** Dropout in training (embeddings, attention weights, residual branches), in [0, 1). Default `0.1`. */
  dropout?: number;
  /** Position information: a learned table (GPT-2) or the fixed sinusoids of Vaswani et al. Default `'learned'`. */
  positions?: 'learned' | 'sinusoidal';
  /** Share the token embedding with the output projection (`logits = h·Eᵀ`, Press & Wolf 2017, https://arxiv.org/abs/1608.05859). Default `true`. */
  tieWeights?: boolean;
  /** MLP activation. Default `'geluTanh'`. */
  activation?: ActivationName | ActivationFn;
  /** Layer norm epsilon. Default `1e-5`. */
  layerNormEps?: number;
}

/**
 * {@link CausalLMConfig} with every default applied.
 *
 * @example
 * ```ts
 * const { dModel, numLayers }: ResolvedCausalLMConfig = lm.config;
 * ```
 */
export type ResolvedCausalLMConfig = Required<Omit<CausalLMConfig, 'name'>>;

/**
 * The state of a {@link CausalLM} decoder: the key/value cache of every block and the
 * number of positions it holds, or (uncached) the tokens so far.
 *
 * @example
 * ```ts
 * const state: CausalLMState = lm.decoder().init([0]);
 * ```
 */
export type CausalLMState =
  | {
      /** A cached state. */
      readonly kind: 'cached';
      /** One cache per block, or `null` before the first step. */
      readonly caches: readonly KeyValueCache[] | null;
      /** The positions the caches hold. */
      readonly length: number;
    }
  | {
      /** An uncached state. */
      readonly kind: 'tokens';
      /** The tokens so far, per row. */
      readonly tokens: readonly (readonly number[])[];
    };

function positiveInteger(unit: string, key: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${unit}: ${key} expected a positive integer, got ${value}`);
  return value;
}

/**
 * Resolves and checks a {@link CausalLMConfig}.
 *
 * @throws ConfigError naming the first bad field.
 * @example
 * ```ts
 * resolveCausalLMConfig({}).dimFeedforward; // 3072
 * ```
 */
export function resolveCausalLMConfig(config: CausalLMConfig, unit = 'CausalLM'): ResolvedCausalLMConfig {
  const dModel = positiveInteger(unit, 'dModel', config.dModel ?? 768);
  const numHeads = positiveInteger(unit, 'numHeads', config.numHeads ?? 12);
  if (dModel % numHeads !== 0) throw new ConfigError(`${unit}: dModel expected a multiple of numHeads ${numHeads}, got ${dModel}`);
  const rate = config.dropout ?? 0.1;
  if (!(rate >= 0 && rate < 1)) throw new ConfigError(`${unit}: dropout expected a rate in [0, 1), got ${rate}`);
  const positions = config.positions ?? 'learned';
  if (positions !== 'learned' && positions !== 'sinusoidal') throw new ConfigError(`${unit}: positions expected 'learned' or 'sinusoidal', got '${String(positions)}'`);
  const eps = config.layerNormEps ?? 1e-5;
  if (!(eps > 0) || !Number.isFinite(eps)) throw new ConfigError(`${unit}: layerNormEps expected a positive number, got ${eps}`);
  return {
    vocabSize: positiveInteger(unit, 'vocabSize', config.vocabSize ?? 50257),
    contextLength: positiveInteger(unit, 'contextLength', config.contextLength ?? 1024),
    dModel,
    numLayers: positiveInteger(unit, 'numLayers', config.numLayers ?? 12),
    numHeads,
    dimFeedforward: positiveInteger(unit, 'dimFeedforward', config.dimFeedforward ?? 4 * dModel),
    dropout: rate,
    positions,
    tieWeights: config.tieWeights ?? true,
    activation: config.activation ?? 'geluTanh',
    layerNormEps: eps,
  };
}

/**
 * The parameter count of a {@link CausalLM} in closed form, without building it:
 * `V·D` (tokens) `+ C·D` (learned positions) `+ N·(4·D² + 4·D + 2·D·F + F + D + 4·D)`
 * (attention, MLP, two norms) `+ 2·D` (final norm) `+ D·V` (untied head).
 *
 * @param config - the model's configuration.
 * @returns the number of scalars; `124,439,808` for the default (GPT-2 small).
 * @example
 * ```ts
 * causalLMParameterCount({}); // 124439808
 * ```
 */
export function causalLMParameterCount(config: CausalLMConfig = {}): number {
  const c = resolveCausalLMConfig(config);
  const d = c.dModel;
  const f = c.dimFeedforward;
  const block = 2 * d + 4 * (d * d + d) + 2 * d + (d * f + f) + (f * d + d);
  return c.vocabSize * d + (c.positions === 'learned' ? c.contextLength * d : 0) + c.numLayers * block + 2 * d + (c.tieWeights ? 0 : d * c.vocabSize);
}

/**
 * Options of {@link CausalLM.decoder}.
 *
 * @example
 * ```ts
 * const reference = lm.decoder({ cache: false } satisfies CausalLMDecoderOptions);
 * ```
 */
export interface CausalLMDecoderOptions {
  /** Keep each block's keys and values and compute only the new positions. Default `true`. */
  cache?: boolean;
}

/**
 * A decoder-only causal language model, GPT-2 style (Radford et al. 2019, "Language Models
 * are Unsupervised Multitask Learners",
 * https://cdn.openai.com/better-language-models/language_models_are_unsupervised_multitask_learners.pdf):
 * token embedding plus learned (or sinusoidal) positions, `numLayers` pre-norm
 * {@link GPTBlock}s, a final layer norm and the output projection, tied to the token
 * embedding by default. Position `t`'s logits depend on tokens `0..t` only.
 *
 * Input shape: int32 token ids `[batch, time ≤ contextLength]`.
 * Output shape: logits `[batch, time, vocabSize]`.
 *
 * Parameters (GPT-2 names in brackets): `wte.embeddings` `[V, D]` (`wte.weight`),
 * `wpe.embeddings` `[C, D]` (`wpe.weight`), `h.<i>.*` (see {@link GPTBlock}), `ln_f.*`,
 * and `lm_head.kernel` `[D, V]` when untied. The default config (GPT-2 small) has
 * 124,439,808 parameters ({@link causalLMParameterCount}).
 *
 * Generation: `lm.decoder()` gives an {@link IncrementalDecoder} with a key/value cache for
 * {@link greedyDecode}, {@link beamSearch} and {@link sampleDecode}.
 *
 * @example
 * ```ts
 * const lm = causalLM({ vocabSize: 64, contextLength: 32, dModel: 32, numLayers: 2, numHeads: 4 }).build([null, 32], rng(1));
 * const logits = lm.apply(tf.tensor2d([[1, 2, 3]], undefined, 'int32')); // [1, 3, 64]
 * const [tokens] = greedyDecode(lm.decoder(), { prompts: [[1, 2, 3]], maxLength: 10 });
 * ```
 */
export class CausalLM extends Module {
  /** The configuration with defaults applied. */
  readonly config: ResolvedCausalLMConfig;
  /** Token embedding `[V, D]`. */
  readonly wte: Embedding;
  /** Learned positions `[C, D]`, or `null` with sinusoidal ones. */
  readonly wpe: PositionalEmbedding | null;
  /** The blocks, `h.0` … `h.<N-1>`. */
  readonly blocks: readonly GPTBlock[];
  /** The final norm. */
  readonly lnF: LayerNorm;
  /** The output projection when not tied, else `null`. */
  readonly lmHead: Dense | null;
  private sinusoids: tf.Tensor2D | null = null;

  constructor(config: CausalLMConfig = {}) {
    super(config);
    const c = resolveCausalLMConfig(config, `CausalLM '${this.name}'`);
    this.config = c;
    this.wte = this.addModule('wte', new Embedding({ name: 'wte', inputDim: c.vocabSize, outputDim: c.dModel, embeddingsInitializer: initializers.randomNormal(0, 0.02) }));
    this.wpe = c.positions === 'learned' ? this.addModule('wpe', new PositionalEmbedding({ name: 'wpe', maxLength: c.contextLength, initializer: initializers.randomNormal(0, 0.01) })) : null;
    const blocks = Array.from({ length: c.numLayers }, (_, i) =>
      new GPTBlock({ name: String(i), numHeads: c.numHeads, dimFeedforward: c.dimFeedforward, dropout: c.dropout, activation: c.activation, layerNormEps: c.layerNormEps }),
    );
    this.addModule('h', new ModuleList('h', blocks));
    this.blocks = blocks;
    this.lnF = this.addModule('ln_f', new LayerNorm({ name: 'ln_f', epsilon: c.layerNormEps }));
    this.lmHead = c.tieWeights ? null : this.addModule('lm_head', new Dense({ name: 'lm_head', units: c.vocabSize, useBias: false }));
  }

  protected override onBuild(_inputShape: Shape): void {
    const d = this.config.dModel;
    const shape: Shape = [null, null, d];
    this.wte.build([null, null]);
    this.wpe?.build([null, this.config.contextLength, d]);
    for (const b of this.blocks) b.build(shape);
    this.lnF.build(shape);
    this.lmHead?.build(shape);
  }

  override outputShape(inputShape: Shape): Shape {
    return [inputShape[0] ?? null, inputShape[1] ?? null, this.config.vocabSize];
  }

  /** Token plus position embeddings of `ids` `[B, T]` placed at `offset`: `[B, T, D]`. */
  private embed(ids: tf.Tensor, offset: number): tf.Tensor {
    const c = this.config;
    const [, t] = ids.shape as [number, number];
    if (c.positions === 'learned' && offset + t > c.contextLength) {
      throw new ShapeError(`${this.label}: sequence length expected at most ${c.contextLength} (contextLength), got ${offset + t}`);
    }
    return tf.tidy(() => {
      const tokens = this.wte.apply(ids); // (B, T, D); the layer checks the ids
      let table: tf.Tensor;
      if (this.wpe !== null) {
        table = tf.slice(this.wpe.embeddings!, [offset, 0], [t, c.dModel]); // (T, D)
      } else {
        if (this.sinusoids === null || this.sinusoids.shape[0] < offset + t) {
          this.sinusoids?.dispose();
          this.sinusoids = tf.keep(sinusoidalPositionalEncoding(Math.max(offset + t, 2 * (this.sinusoids?.shape[0] ?? 0), 64), c.dModel));
        }
        table = tf.slice(this.sinusoids, [offset, 0], [t, c.dModel]); // (T, D)
      }
      return tf.add(tokens, table);
    });
  }

  /** Final norm and output projection of `h` `[B, T, D]`: `[B, T, V]`. */
  private head(h: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [b, t, d] = h.shape as [number, number, number];
      const normed = layerNorm(h, this.lnF.gamma, this.lnF.beta, [2], this.config.layerNormEps);
      const flat = tf.reshape(normed, [b * t, d]); // (B·T, D)
      const logits = this.lmHead === null ? tf.matMul(flat, this.wte.embeddings!, false, true) : tf.matMul(flat, this.lmHead.kernel!); // (B·T, V)
      return tf.reshape(logits, [b, t, this.config.vocabSize]);
    });
  }

  private checkIds(ids: tf.Tensor): void {
    if (ids.rank !== 2) throw new ShapeError(`${this.label}: input expected rank 2 [batch, time] of token ids, got shape ${formatShape(ids.shape)}`);
  }

  protected call(ids: tf.Tensor, options: ApplyOptions): tf.Tensor {
    this.checkIds(ids);
    return tf.tidy(() => {
      const rate = this.config.dropout;
      const train = options.training === true && rate > 0;
      const x = this.embed(ids, 0);
      let h = train ? dropout(x, rate, this.nextRng()) : x;
      for (const b of this.blocks) h = b.apply(h, { training: options.training ?? false });
      return this.head(h);
    });
  }

  /**
   * Logits of the position after the last of `ids` `[B, T]` given cached earlier positions,
   * with the extended caches (inference; the old caches are not disposed).
   */
  private cachedStep(ids: tf.Tensor, caches: readonly KeyValueCache[] | null, offset: number): { logits: tf.Tensor2D; caches: KeyValueCache[] } {
    if (caches !== null && ids.shape[1] === 1) return this.cachedStepOne(ids, caches, offset);
    return tf.tidy(() => {
      let h = this.embed(ids, offset);
      const next: KeyValueCache[] = [];
      this.blocks.forEach((b, i) => {
        const r = b.applyCached(h, caches === null ? null : caches[i]!);
        h = r.output;
        next.push(r.cache);
      });
      const [bSize, t, d] = h.shape as [number, number, number];
      const lastH = tf.slice(h, [0, t - 1, 0], [bSize, 1, d]); // (B, 1, D)
      const logits = tf.reshape(this.head(lastH), [bSize, this.config.vocabSize]) as tf.Tensor2D;
      return { logits, caches: next };
    });
  }

  /** {@link CausalLM.cachedStep} for one new position: 2-D activations and the blocks' lean step. */
  private cachedStepOne(ids: tf.Tensor, caches: readonly KeyValueCache[], offset: number): { logits: tf.Tensor2D; caches: KeyValueCache[] } {
    return tf.tidy(() => {
      const b = ids.shape[0]!;
      const d = this.config.dModel;
      let h = tf.reshape(this.embed(ids, offset), [b, d]); // (B, D)
      const next: KeyValueCache[] = [];
      this.blocks.forEach((block, i) => {
        const r = block.stepOne(h, caches[i]!);
        h = r.output;
        next.push(r.cache);
      });
      const normed = layerNorm(h, this.lnF.gamma, this.lnF.beta, [1], this.config.layerNormEps);
      const logits = this.lmHead === null ? tf.matMul(normed, this.wte.embeddings!, false, true) : tf.matMul(normed, this.lmHead.kernel!); // (B, V)
      return { logits: logits as tf.Tensor2D, caches: next };
    });
  }

  /**
   * An {@link IncrementalDecoder} over this model for {@link greedyDecode},
   * {@link beamSearch} and {@link sampleDecode}: with `cache: true` (the default) each step
   * runs the new tokens only, reusing every block's keys and values; with `cache: false` each
   * step reruns the whole sequence (the reference the cache is tested against).
   *
   * @example
   * ```ts
   * const tokens = greedyDecode(lm.decoder(), { prompts: [[5, 6]], maxLength: 16 });
   * const slow = greedyDecode(lm.decoder({ cache: false }), { prompts: [[5, 6]], maxLength: 16 });
   * ```
   */
  decoder(options: CausalLMDecoderOptions = {}): IncrementalDecoder<CausalLMState> {
    if (!this.built) this.build([null, null]);
    const useCache = options.cache ?? true;
    const toIds = (tokens: readonly (readonly number[])[]): tf.Tensor2D => tf.tensor2d(tokens.map((r) => [...r]), [tokens.length, tokens[0]!.length], 'int32');
    const disposeCaches = (caches: readonly KeyValueCache[] | null): void => {
      for (const c of caches ?? []) tf.dispose([c.key, c.value]);
    };
    return {
      vocabSize: this.config.vocabSize,
      sourceRows: null,
      init: (rows) => (useCache ? { kind: 'cached', caches: null, length: 0 } : { kind: 'tokens', tokens: rows.map(() => []) }),
      step: (state, tokens) => {
        if (state.kind === 'tokens') {
          const all = state.tokens.map((r, i) => [...r, ...tokens[i]!]);
          const logits = tf.tidy(() => {
            const ids = toIds(all);
            const out = this.apply(ids); // (B, T, V)
            const [b, t, v] = out.shape as [number, number, number];
            return tf.reshape(tf.slice(out, [0, t - 1, 0], [b, 1, v]), [b, v]) as tf.Tensor2D;
          });
          return { logits, state: { kind: 'tokens', tokens: all } };
        }
        const ids = toIds(tokens);
        try {
          const { logits, caches } = this.cachedStep(ids, state.caches, state.length);
          disposeCaches(state.caches);
          return { logits, state: { kind: 'cached', caches, length: state.length + tokens[0]!.length } };
        } finally {
          ids.dispose();
        }
      },
      select: (state, rows) => {
        if (state.kind === 'tokens') return { kind: 'tokens', tokens: rows.map((r) => state.tokens[r]!) };
        if (state.caches === null) return state;
        const index = tf.tensor1d([...rows], 'int32');
        const caches = state.caches.map((c) => ({ key: tf.gather(c.key, index), value: tf.gather(c.value, index) }));
        index.dispose();
        disposeCaches(state.caches);
        return { kind: 'cached', caches, length: state.length };
      },
      dispose: (state) => {
        if (state.kind === 'cached') disposeCaches(state.caches);
      },
    };
  }

  override dispose(): void {
    for (const b of this.blocks) b.disposePacked();
    this.sinusoids?.dispose();
    this.sinusoids = null;
    super.dispose();
  }
}

/**
 * Creates a {@link CausalLM} (GPT-style decoder-only language model). The default config is
 * GPT-2 small: 124,439,808 parameters.
 *
 * @param config - see {@link CausalLMConfig}.
 * @returns the unbuilt model.
 * @throws ConfigError naming a bad field.
 * @example
 * ```ts
 * const lm = causalLM({ vocabSize: 100, contextLength: 64, dModel: 64, numLayers: 2, numHeads: 4 });
 * ```
 */
export function causalLM(config: CausalLMConfig = {}): CausalLM {
  return new CausalLM(config);
}

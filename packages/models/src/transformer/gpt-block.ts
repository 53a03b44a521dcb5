import { ConfigError, ShapeError, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { Dense, LayerNorm, Module, dense, dropout, getActivation, layerNorm, multiHeadAttention } from '@tensorloom/layers';
import type { ActivationFn, ActivationName, ApplyOptions, LayerNormWeights, ModuleConfig, MultiHeadAttentionWeights, ProjectionWeights, Shape } from '@tensorloom/layers';
import { MultiHeadAttention } from '@tensorloom/layers';
import { cachedSelfAttention } from './kv-cache.js';
import type { CachedAttentionResult, KeyValueCache } from './kv-cache.js';

/**
 * Configuration of {@link GPTBlock}.
 *
 * @example
 * ```ts
 * const config: GPTBlockConfig = { numHeads: 12, dimFeedforward: 3072, dropout: 0.1 };
 * ```
 */
export interface GPTBlockConfig extends ModuleConfig {
  /** Attention heads; `dModel` (from the input) must be a multiple of it. Required, a positive integer. */
  numHeads: number;
  /** Hidden size of the MLP. Required, a positive integer (GPT-2: `4·dModel`). */
  dimFeedforward: number;
  /** Dropout in training on the attention weights and on both residual branches, in [0, 1). Default `0.1`, as GPT-2. */
  dropout?: number;
  /** MLP activation. Default `'geluTanh'`, GPT-2's tanh approximation of GELU (`gelu_new`). */
  activation?: ActivationName | ActivationFn;
  /** Layer norm epsilon. Default `1e-5`, as GPT-2. */
  layerNormEps?: number;
}

/**
 * The weights of {@link gptBlock}.
 *
 * @example
 * ```ts
 * const w: GPTBlockWeights = block.weights();
 * ```
 */
export interface GPTBlockWeights {
  /** `ln_1.*`: the norm before the attention. */
  ln1: LayerNormWeights;
  /** `attn.*`: causal self-attention. */
  attention: MultiHeadAttentionWeights;
  /** `ln_2.*`: the norm before the MLP. */
  ln2: LayerNormWeights;
  /** `fc.*`: `[dModel, dimFeedforward]`. */
  fc: ProjectionWeights;
  /** `proj.*`: `[dimFeedforward, dModel]`. */
  proj: ProjectionWeights;
}

/**
 * Options of {@link gptBlock}.
 *
 * @example
 * ```ts
 * const options: GPTBlockOptions = { cache: null }; // start a cache
 * ```
 */
export interface GPTBlockOptions {
  /** MLP activation. Default `'geluTanh'`. */
  activation?: ActivationName | ActivationFn;
  /** Layer norm epsilon. Default `1e-5`. */
  layerNormEps?: number;
  /** Dropout rate, applied only when `rng` is given (never with a cache). Default `0`. */
  dropoutRate?: number;
  /** The dropout source; `null` is inference. Default `null`. */
  rng?: Rng | null;
  /**
   * Incremental decoding: the earlier positions' keys and values (`null` starts a cache).
   * Default `undefined`: no cache, plain causal attention over the input.
   */
  cache?: KeyValueCache | null;
}

/**
 * What {@link gptBlock} returns.
 *
 * @example
 * ```ts
 * const { output, cache }: GPTBlockResult = gptBlock(x, block.weights(), { cache: null });
 * ```
 */
export type GPTBlockResult = {
  /** `[batch, time, dModel]`. */
  readonly output: tf.Tensor;
  /** The extended key/value cache, when one was given. */
  readonly cache?: KeyValueCache;
};

/**
 * One GPT-2 block as a function of its weights (Radford et al. 2019, "Language Models are
 * Unsupervised Multitask Learners"; pre-norm as in its `Block`):
 * `h = x + Drop(CausalSA(LN1(x))); y = h + Drop(W2·act(W1·LN2(h)))`.
 *
 * @param x - `[batch, time, dModel]` (with a cache: the new positions only).
 * @param weights - see {@link GPTBlockWeights}.
 * @param options - activation, epsilon, dropout, key/value cache.
 * @returns the output `[batch, time, dModel]`, and the extended cache when `options.cache` was given (else `cache` is absent).
 * @example
 * ```ts
 * const { output } = gptBlock(x, block.weights());
 * ```
 */
export function gptBlock(x: tf.Tensor, weights: GPTBlockWeights, options: GPTBlockOptions = {}): GPTBlockResult {
  return tf.tidy(() => {
    const eps = options.layerNormEps ?? 1e-5;
    const act = getActivation(options.activation ?? 'geluTanh');
    const rate = options.dropoutRate ?? 0;
    const [r0, r1, r2] = options.rng && rate > 0 ? options.rng.split(3) : [null, null, null];
    const drop = (t: tf.Tensor, r: Rng | null): tf.Tensor => (r === null ? t : dropout(t, rate, r));
    const norm = (t: tf.Tensor, w: LayerNormWeights): tf.Tensor => layerNorm(t, w.gamma, w.beta, [t.rank - 1], eps);
    const h1 = norm(x, weights.ln1);
    let attended: tf.Tensor;
    let cache: KeyValueCache | undefined;
    if (options.cache === undefined) {
      attended = multiHeadAttention({ query: h1, value: h1 }, weights.attention, { useCausalMask: true, dropoutRate: rate, rng: r0 }).output;
    } else {
      ({ output: attended, cache } = cachedSelfAttention(h1, weights.attention, options.cache));
    }
    const h = tf.add(x, drop(attended, r1));
    const mlp = dense(act(dense(norm(h, weights.ln2), weights.fc.kernel, weights.fc.bias)), weights.proj.kernel, weights.proj.bias);
    return { output: tf.add(h, drop(mlp, r2)), cache };
  });
}

/**
 * A GPT-2 transformer block (Radford et al. 2019,
 * https://cdn.openai.com/better-language-models/language_models_are_unsupervised_multitask_learners.pdf):
 * pre-norm causal self-attention and a GELU MLP, each in a residual branch. See {@link gptBlock}.
 *
 * Input shape: `[batch, time, dModel]`. Output shape: the input's.
 *
 * Parameters: `ln_1.gamma`/`beta`, `attn.{query,key,value}.kernel` `[dModel, H, dModel/H]` and
 * biases `[H, dModel/H]`, `attn.output.kernel` `[H, dModel/H, dModel]` and bias, `ln_2.*`,
 * `fc.kernel` `[dModel, dimFeedforward]`, `proj.kernel` `[dimFeedforward, dModel]` and biases:
 * `12·dModel² + 13·dModel` with `dimFeedforward = 4·dModel` (7,087,872 at dModel 768).
 *
 * @example
 * ```ts
 * const block = new GPTBlock({ numHeads: 4, dimFeedforward: 128 }).build([null, 16, 32], rng(1));
 * const y = block.apply(tf.zeros([2, 16, 32])); // [2, 16, 32]
 * ```
 */
export class GPTBlock extends Module {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<GPTBlockConfig, 'name'>>;
  /** The norm before the attention. */
  readonly ln1: LayerNorm;
  /** The norm before the MLP. */
  readonly ln2: LayerNorm;
  /** The MLP's input layer. */
  readonly fc: Dense;
  /** Causal self-attention, after build. */
  attention: MultiHeadAttention | null = null;
  /** The MLP's output layer, after build. */
  proj: Dense | null = null;

  constructor(config: GPTBlockConfig) {
    super(config);
    const unit = `GPTBlock '${this.name}'`;
    for (const key of ['numHeads', 'dimFeedforward'] as const) {
      if (!Number.isInteger(config[key]) || config[key] <= 0) throw new ConfigError(`${unit}: ${key} expected a positive integer, got ${config[key]}`);
    }
    const rate = config.dropout ?? 0.1;
    if (!(rate >= 0 && rate < 1)) throw new ConfigError(`${unit}: dropout expected a rate in [0, 1), got ${rate}`);
    const eps = config.layerNormEps ?? 1e-5;
    if (!(eps > 0) || !Number.isFinite(eps)) throw new ConfigError(`${unit}: layerNormEps expected a positive number, got ${eps}`);
    const activation = config.activation ?? 'geluTanh';
    getActivation(activation, unit);
    this.config = { numHeads: config.numHeads, dimFeedforward: config.dimFeedforward, dropout: rate, activation, layerNormEps: eps };
    this.ln1 = this.addModule('ln_1', new LayerNorm({ name: 'ln_1', epsilon: eps }));
    this.ln2 = this.addModule('ln_2', new LayerNorm({ name: 'ln_2', epsilon: eps }));
    this.fc = this.addModule('fc', new Dense({ name: 'fc', units: config.dimFeedforward }));
  }

  protected override onBuild(inputShape: Shape): void {
    const d = inputShape[2];
    if (inputShape.length !== 3 || typeof d !== 'number') {
      throw new ShapeError(`${this.label}: input expected rank 3 [batch, time, dModel] with known dModel, got [${inputShape.join(', ')}]`);
    }
    if (d % this.config.numHeads !== 0) throw new ShapeError(`${this.label}: dModel expected a multiple of numHeads ${this.config.numHeads}, got ${d}`);
    this.attention ??= this.addModule('attn', new MultiHeadAttention({ name: 'attn', numHeads: this.config.numHeads, dropout: this.config.dropout }));
    this.proj ??= this.addModule('proj', new Dense({ name: 'proj', units: d }));
    const shape: Shape = [null, null, d];
    this.ln1.build(shape);
    this.attention.build({ query: shape, value: shape });
    this.ln2.build(shape);
    this.fc.build(shape);
    this.proj.build([null, null, this.config.dimFeedforward]);
  }

  override outputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  /**
   * The live weights, for {@link gptBlock}.
   *
   * @example
   * ```ts
   * const { attention } = block.weights(); // attention.query.kernel: [dModel, H, dModel/H]
   * ```
   */
  weights(): GPTBlockWeights {
    if (!this.built) throw new ConfigError(`${this.label}: weights need a built module`, { help: 'call build() or apply() first' });
    return {
      ln1: { gamma: this.ln1.gamma, beta: this.ln1.beta },
      attention: this.attention!.weights(),
      ln2: { gamma: this.ln2.gamma, beta: this.ln2.beta },
      fc: { kernel: this.fc.kernel!, bias: this.fc.bias },
      proj: { kernel: this.proj!.kernel!, bias: this.proj!.bias },
    };
  }

  /**
   * One incremental step: the new positions `x` `[batch, newLength, dModel]` given the cache
   * of the earlier ones (`null` to start). Inference only (no dropout).
   *
   * @returns the output for the new positions and the extended cache (the old one is not disposed).
   * @example
   * ```ts
   * let { output, cache } = block.applyCached(prompt, null);
   * ```
   */
  applyCached(x: tf.Tensor, cache: KeyValueCache | null): CachedAttentionResult {
    if (!this.built) this.build(x.shape);
    const c = this.config;
    const r = gptBlock(x, this.weights(), { activation: c.activation, layerNormEps: c.layerNormEps, cache });
    return { output: r.output, cache: r.cache! };
  }

  /**
   * The attention projections packed for single-position steps: the query, key and value
   * kernels side by side `[D, 3D]` (the query's scaled by `1/√(D/H)`), their biases `[3D]`,
   * and the output kernel `[D, D]`. Made once and kept by the block; remade when a weight was
   * reassigned (a variable's data changes identity on `assign`).
   */
  private packed: { sources: readonly (object | null)[]; qkv: tf.Tensor2D; qkvBias: tf.Tensor1D; out: tf.Tensor2D } | null = null;

  private packedProjections(): { qkv: tf.Tensor2D; qkvBias: tf.Tensor1D; out: tf.Tensor2D } {
    const w = this.attention!.weights();
    const sources = [w.query, w.key, w.value, w.output].flatMap((p) => [p.kernel, p.bias]).map((t) => (t === null ? null : (t as unknown as { dataId: object }).dataId));
    if (this.packed !== null && this.packed.sources.every((s, i) => s === sources[i])) return this.packed;
    this.disposePacked();
    const d = w.query.kernel.shape[0]!;
    const scale = 1 / Math.sqrt(w.query.kernel.shape[2]!);
    const packed = tf.tidy(() => {
      const flat = (t: tf.Tensor, shape: number[]): tf.Tensor => tf.reshape(t, shape);
      const qkv = tf.concat([tf.mul(flat(w.query.kernel, [d, -1]), scale), flat(w.key.kernel, [d, -1]), flat(w.value.kernel, [d, -1])], 1) as tf.Tensor2D; // (D, 3D)
      const bias = (t: tf.Tensor | null, size: number): tf.Tensor => (t === null ? tf.zeros([size]) : flat(t, [-1]));
      const [, h, dk] = w.query.kernel.shape as [number, number, number];
      const dv = w.value.kernel.shape[2]!;
      const qkvBias = tf.concat([tf.mul(bias(w.query.bias, h * dk), scale), bias(w.key.bias, h * dk), bias(w.value.bias, h * dv)]) as tf.Tensor1D; // (2·H·Dk + H·Dv)
      const out = flat(w.output.kernel, [-1, w.output.kernel.shape[2]!]) as tf.Tensor2D; // (H·Dv, D)
      return { qkv, qkvBias, out };
    });
    // Kept: this may run inside a caller's tidy, which must not dispose what the block keeps.
    this.packed = { sources, qkv: tf.keep(packed.qkv as tf.Tensor2D), qkvBias: tf.keep(packed.qkvBias as tf.Tensor1D), out: tf.keep(packed.out as tf.Tensor2D) };
    return this.packed;
  }

  /**
   * Releases the packed projections of {@link GPTBlock.stepOne} (remade on the next step).
   *
   * @internal
   */
  disposePacked(): void {
    if (this.packed !== null) tf.dispose([this.packed.qkv, this.packed.qkvBias, this.packed.out]);
    this.packed = null;
  }

  /**
   * One new position `x` `[batch, dModel]` after the cached ones (a non-empty cache): the same
   * values as {@link GPTBlock.applyCached} with fewer kernels (one packed query/key/value
   * product, no transposes). Inference only.
   *
   * @returns the output `[batch, dModel]` and the extended cache (the old one is not disposed).
   * @example
   * ```ts
   * ({ output, cache } = block.stepOne(xLast, cache));
   * ```
   */
  stepOne(x: tf.Tensor, cache: KeyValueCache): CachedAttentionResult {
    const c = this.config;
    const p = this.packedProjections();
    const w = this.attention!.weights();
    return tf.tidy(() => {
      const [b, d] = x.shape as [number, number];
      const [, h, p0, dk] = cache.key.shape as [number, number, number, number];
      const dv = cache.value.shape[3]!;
      const norm = (t: tf.Tensor, n: LayerNorm): tf.Tensor => layerNorm(t, n.gamma, n.beta, [1], c.layerNormEps);
      const qkv = tf.fused.matMul({ a: norm(x, this.ln1) as tf.Tensor2D, b: p.qkv, bias: p.qkvBias }); // (B, 2·H·Dk + H·Dv)
      const [q, k, v] = tf.split(qkv, [h * dk, h * dk, h * dv], 1);
      const key = tf.concat([cache.key, tf.reshape(k!, [b, h, 1, dk])], 2); // (B, H, P+1, Dk)
      const value = tf.concat([cache.value, tf.reshape(v!, [b, h, 1, dv])], 2); // (B, H, P+1, Dv)
      const scores = tf.softmax(tf.matMul(tf.reshape(q!, [b * h, 1, dk]), tf.reshape(key, [b * h, p0 + 1, dk]), false, true)); // (B·H, 1, P+1)
      const attended = tf.reshape(tf.matMul(scores, tf.reshape(value, [b * h, p0 + 1, dv])), [b, h * dv]); // (B, H·Dv)
      const outBias = w.output.bias === null ? undefined : w.output.bias;
      const x1 = tf.add(x, tf.fused.matMul({ a: attended as tf.Tensor2D, b: p.out, bias: outBias })); // (B, D)
      const mlp = dense(getActivation(c.activation)(dense(norm(x1, this.ln2), this.fc.kernel!, this.fc.bias)), this.proj!.kernel!, this.proj!.bias);
      return { output: tf.reshape(tf.add(x1, mlp), [b, d]), cache: { key, value } };
    });
  }

  override dispose(): void {
    this.disposePacked();
    super.dispose();
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    const c = this.config;
    return gptBlock(x, this.weights(), {
      activation: c.activation,
      layerNormEps: c.layerNormEps,
      dropoutRate: c.dropout,
      rng: options.training && c.dropout > 0 ? this.nextRng() : null,
    }).output;
  }
}

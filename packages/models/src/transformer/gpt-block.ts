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

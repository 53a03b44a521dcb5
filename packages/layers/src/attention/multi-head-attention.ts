import { ConfigError, ShapeError, assert, assertRank, assertShape, formatShape, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { resolveKernelLayerConfig } from '../core/kernel-layer-config.js';
import type { KernelLayerConfig } from '../core/kernel-layer-config.js';
import { Module } from '../module/module.js';
import type { ApplyOptions, Shape, ShapeOf } from '../module/module.js';
import { checkRate } from '../regularization/dropout.js';
import { MultiAxisDense, multiAxisDense } from './multi-axis-dense.js';
import { attendFolded, causalMask, maskToFloat } from './scaled-dot-product-attention.js';
import { attendFused, canFuseAttention } from './internal/fused-attention.js';
import type { AttentionResult } from './scaled-dot-product-attention.js';

/**
 * Configuration of {@link MultiHeadAttention}. The kernel and bias fields of
 * {@link KernelLayerConfig} apply to each of the four projections (query, key, value and
 * output); the default `'glorotUniform'` draws each kernel with Keras' fans of its 3-D shape.
 *
 * @example
 * ```ts
 * const config: MultiHeadAttentionConfig = { numHeads: 8, keyDim: 64, dropout: 0.1 };
 * ```
 *
 * @group Attention
 */
export interface MultiHeadAttentionConfig extends KernelLayerConfig {
  /** Number of attention heads `H`. Required, a positive integer. */
  numHeads: number;
  /**
   * Size `Dk` of each head's queries and keys. Default: query features / `numHeads`
   * (PyTorch's convention; the query features must then be a multiple of `numHeads`).
   */
  keyDim?: number;
  /** Size `Dv` of each head's values. Default `keyDim`. */
  valueDim?: number;
  /** Output features `O` (Keras' `output_shape`). Default: the query's features. */
  outputDim?: number;
  /** Dropout rate on the attention weights during training, in [0, 1). Default `0`. */
  dropout?: number;
}

/**
 * The inputs of {@link MultiHeadAttention}: a record, so cross-attention reads as such.
 * Self-attention passes the same tensor as `query` and `value`.
 *
 * @example
 * ```ts
 * const self: MultiHeadAttentionInput = { query: x, value: x };
 * const cross: MultiHeadAttentionInput = { query: target, value: memory };
 * ```
 *
 * @group Attention
 */
export type MultiHeadAttentionInput = {
  /** Queries `[batch, queryLength, queryFeatures]`. */
  readonly query: tf.Tensor;
  /** Values `[batch, keyLength, valueFeatures]`; also the keys when `key` is absent. */
  readonly value: tf.Tensor;
  /** Keys `[batch, keyLength, keyFeatures]`. Default: `value`. */
  readonly key?: tf.Tensor;
};

/**
 * Per-call options of {@link MultiHeadAttention.apply}: masks and flags on top of
 * `training`. The generic `mask` option is not used by the attention (it describes the
 * query's positions and passes through as the output mask); hide keys with `keyMask`.
 *
 * @example
 * ```ts
 * mha.apply({ query: x, value: x }, { keyMask: padding, useCausalMask: true, training: true });
 * ```
 *
 * @group Attention
 */
export interface MultiHeadAttentionApplyOptions extends ApplyOptions {
  /** Key padding mask `[batch, keyLength]`, bool or 0/1: `true` = attend. Default none. */
  keyMask?: tf.Tensor | null;
  /** A full mask `[batch, queryLength, keyLength]`, bool or 0/1: `true` = attend. Default none. */
  attentionMask?: tf.Tensor | null;
  /** Query `i` attends only to keys `j ≤ i` (decoder self-attention). Default `false`. */
  useCausalMask?: boolean;
  /** Return `{ output, scores }` instead of the output tensor. Default `false`. */
  returnAttentionScores?: boolean;
}

/**
 * A projection's weights: `kernel` and `bias` (or `null`).
 *
 * @example
 * ```ts
 * const w: ProjectionWeights = { kernel: mha.query!.kernel!, bias: mha.query!.bias };
 * ```
 *
 * @group Attention
 */
export interface ProjectionWeights {
  /** The kernel: `[features, heads, headDim]` for query/key/value, `[heads, valueDim, outFeatures]` for the output. */
  kernel: tf.Tensor;
  /** The bias: `[heads, headDim]` for query/key/value, `[outFeatures]` for the output; or `null`. */
  bias: tf.Tensor | null;
}

/**
 * The weights of {@link multiHeadAttention}, laid out as Keras' `MultiHeadAttention`.
 *
 * @example
 * ```ts
 * const weights = mha.weights();
 * const y = multiHeadAttention({ query: x, value: x }, weights).output;
 * ```
 *
 * @group Attention
 */
export interface MultiHeadAttentionWeights {
  /** Query projection: kernel `[queryFeatures, H, Dk]`, bias `[H, Dk]`. */
  query: ProjectionWeights;
  /** Key projection: kernel `[keyFeatures, H, Dk]`, bias `[H, Dk]`. */
  key: ProjectionWeights;
  /** Value projection: kernel `[valueFeatures, H, Dv]`, bias `[H, Dv]`. */
  value: ProjectionWeights;
  /** Output projection: kernel `[H, Dv, O]`, bias `[O]`. */
  output: ProjectionWeights;
}

/**
 * Options of {@link multiHeadAttention}.
 *
 * @example
 * ```ts
 * const options: MultiHeadAttentionOptions = { useCausalMask: true, dropoutRate: 0.1, rng: rng(1) };
 * ```
 *
 * @group Attention
 */
export interface MultiHeadAttentionOptions {
  /** Key padding mask `[batch, keyLength]`: `true` = attend. Default none. */
  keyMask?: tf.Tensor | null;
  /** Full mask `[batch, queryLength, keyLength]`: `true` = attend. Default none. */
  attentionMask?: tf.Tensor | null;
  /** Query `i` attends only to keys `j ≤ i`. Default `false`. */
  useCausalMask?: boolean;
  /** Dropout on the attention weights; applied only when `rng` is given. Default `0`. */
  dropoutRate?: number;
  /** The dropout source; `null` is inference. Default `null`. */
  rng?: Rng | null;
  /** Names the caller in error messages. Default `'multiHeadAttention'`. */
  unit?: string;
}

/**
 * The output shape of {@link MultiHeadAttention}: `[batch, queryLength, outputDim]`.
 *
 * @param inputShape - the shapes of `query`, `value` (and `key`).
 * @param outputDim - the output features; default the query's.
 * @example
 * ```ts
 * multiHeadAttentionOutputShape({ query: [null, 5, 16], value: [null, 7, 8] }); // [null, 5, 16]
 * ```
 *
 * @group Attention
 */
export function multiHeadAttentionOutputShape(inputShape: ShapeOf<MultiHeadAttentionInput>, outputDim?: number): Shape {
  const q = inputShape.query;
  return [q[0] ?? null, q[1] ?? null, outputDim ?? q[2] ?? null];
}

/** Checks the inputs and masks of one attention call; `unit` names the caller. */
function checkInputs(unit: string, input: MultiHeadAttentionInput, weights: MultiHeadAttentionWeights, options: MultiHeadAttentionOptions): void {
  const { query, value } = input;
  const key = input.key ?? value;
  assertRank(unit, 'query', query, 3, '[batch, queryLength, features]');
  assertRank(unit, 'value', value, 3, '[batch, keyLength, features]');
  if (input.key !== undefined) assertRank(unit, 'key', key, 3, '[batch, keyLength, features]');
  const [b, t] = query.shape as [number, number, number];
  const s = value.shape[1]!;
  assertShape(unit, 'query', query, [null, null, weights.query.kernel.shape[0]!]);
  if (value.shape[0] !== b) throw new ShapeError(`${unit}: value batch expected ${b} (the query's), got shape ${formatShape(value.shape)}`);
  assertShape(unit, 'value', value, [b, null, weights.value.kernel.shape[0]!]);
  if (input.key === undefined) {
    const fk = weights.key.kernel.shape[0]!;
    if (value.shape[2] !== fk) {
      throw new ShapeError(`${unit}: value axis 2 expected ${fk} (the key's features: no key was given, so the value is the key), got shape ${formatShape(value.shape)}`);
    }
  } else {
    if (key.shape[0] !== b) throw new ShapeError(`${unit}: key batch expected ${b} (the query's), got shape ${formatShape(key.shape)}`);
    if (key.shape[1] !== s) throw new ShapeError(`${unit}: key length expected ${s} (the value's), got shape ${formatShape(key.shape)}`);
    assertShape(unit, 'key', key, [b, s, weights.key.kernel.shape[0]!]);
  }
  if (options.keyMask) assertShape(unit, 'keyMask', options.keyMask, [b, s]);
  if (options.attentionMask) assertShape(unit, 'attentionMask', options.attentionMask, [b, t, s]);
}

/**
 * Multi-head attention as a function of its weights (Vaswani et al. 2017,
 * https://arxiv.org/abs/1706.03762, §3.2.2):
 * `concat_h(softmax(Q_h·K_hᵀ/√Dk + maskBias)·V_h)·W_o + b_o` with
 * `Q_h = query·W_q[:, h] + b_q[h]` and likewise for keys and values.
 *
 * Masks combine by logical AND. Masked keys get a −1e9 logit bias (weight exactly 0); a query
 * whose keys are all masked gets all-zero weights, so its output is the output bias `b_o`.
 * Implemented with reshapes, transposes and equal-batch rank-3 matMuls (no einsum, no
 * broadcast batch matMul: both lack working gradients in tfjs-core 4.22).
 *
 * @param input - `query` `[B, T, Fq]`, `value` `[B, S, Fv]`, optional `key` `[B, S, Fk]`.
 * @param weights - see {@link MultiHeadAttentionWeights}.
 * @param options - masks, causal flag, dropout on the weights.
 * @returns `output` `[B, T, O]` and `scores` `[B, H, T, S]` (softmax weights, before dropout).
 * @throws ShapeError when shapes disagree with each other or with the weights.
 * @example
 * ```ts
 * const { output, scores } = multiHeadAttention({ query: x, value: x }, mha.weights(), { useCausalMask: true });
 * ```
 *
 * @group Attention
 */
export function multiHeadAttention(
  input: MultiHeadAttentionInput,
  weights: MultiHeadAttentionWeights,
  options: MultiHeadAttentionOptions = {},
): AttentionResult {
  checkInputs(options.unit ?? 'multiHeadAttention', input, weights, options);
  return tf.tidy(() => {
    const { query, value } = input;
    const key = input.key ?? value;
    const [b, t] = query.shape as [number, number, number];
    const s = value.shape[1]!;
    const [, h, dk] = weights.query.kernel.shape as [number, number, number];
    const dv = weights.value.kernel.shape[2]!;

    const q = multiAxisDense(query, weights.query.kernel, weights.query.bias, 1); // (B, T, H, Dk)
    const k = multiAxisDense(key, weights.key.kernel, weights.key.bias, 1); // (B, S, H, Dk)
    const v = multiAxisDense(value, weights.value.kernel, weights.value.bias, 1); // (B, S, H, Dv)
    let allowed: tf.Tensor | null = null; // float 0/1, broadcast against (B, H, T, S)
    const combine = (m: tf.Tensor): void => {
      allowed = allowed === null ? m : tf.mul(allowed, m);
    };
    if (options.keyMask) combine(tf.reshape(maskToFloat(options.keyMask), [b, 1, 1, s])); // (B, 1, 1, S)
    if (options.attentionMask) combine(tf.reshape(maskToFloat(options.attentionMask), [b, 1, t, s])); // (B, 1, T, S)
    if (options.useCausalMask) combine(tf.reshape(causalMask(t, s), [1, 1, t, s])); // (1, 1, T, S)

    const rng = options.rng ?? null;
    let attended: AttentionResult;
    let merged: tf.Tensor; // (B, T, H, Dv)
    if (canFuseAttention(t, q, k, v)) {
      // One fused kernel call forward and one backward, in the projections' own layout.
      attended = attendFused(q, k, v, 'bthd', allowed, 1 / Math.sqrt(dk), options.dropoutRate ?? 0, rng);
      merged = attended.output;
    } else {
      const q3 = tf.reshape(tf.transpose(q, [0, 2, 1, 3]), [b * h, t, dk]) as tf.Tensor3D; // (B·H, T, Dk)
      const kT = tf.reshape(tf.transpose(k, [0, 2, 3, 1]), [b * h, dk, s]) as tf.Tensor3D; // (B·H, Dk, S)
      const v3 = tf.reshape(tf.transpose(v, [0, 2, 1, 3]), [b * h, s, dv]) as tf.Tensor3D; // (B·H, S, Dv)
      attended = attendFolded(q3, kT, v3, b, h, allowed, 1 / Math.sqrt(dk), options.dropoutRate ?? 0, rng);
      merged = tf.transpose(attended.output, [0, 2, 1, 3]);
    }
    const output = multiAxisDense(merged, weights.output.kernel, weights.output.bias, 2); // (B, T, O)
    return { output, scores: attended.scores };
  });
}

/**
 * Multi-head attention (Vaswani et al. 2017, https://arxiv.org/abs/1706.03762), with the
 * weight layout of Keras' `MultiHeadAttention`.
 *
 * Call it with a record: `apply({ query, value, key? }, options)` — self-attention is
 * `{ query: x, value: x }`. Options add a key padding mask `keyMask` `[B, S]`, a full
 * `attentionMask` `[B, T, S]` (both `true` = attend, combined by AND), `useCausalMask`, and
 * `returnAttentionScores` to get `{ output, scores }` instead of the output tensor. A query
 * whose keys are all masked attends to nothing: zero weights, output = the output bias.
 *
 * Input shape: `query` `[batch, T, Fq]`, `value` `[batch, S, Fv]`, `key` `[batch, S, Fk]`
 * (default `value`). Output shape: `[batch, T, outputDim]`; scores `[batch, H, T, S]`.
 *
 * Parameters (children, each a {@link MultiAxisDense}): `query.kernel` `[Fq, H, Dk]`,
 * `query.bias` `[H, Dk]`, `key.kernel` `[Fk, H, Dk]`, `key.bias` `[H, Dk]`, `value.kernel`
 * `[Fv, H, Dv]`, `value.bias` `[H, Dv]`, `output.kernel` `[H, Dv, O]`, `output.bias` `[O]`.
 *
 * @example
 * ```ts
 * const mha = new MultiHeadAttention({ numHeads: 4, name: 'self_attn' }).build({ query: [null, 10, 32], value: [null, 10, 32] }, rng(1));
 * const y = mha.apply({ query: x, value: x }, { keyMask, useCausalMask: true });
 * const { output, scores } = mha.apply({ query: x, value: x }, { returnAttentionScores: true });
 * ```
 *
 * @group Attention
 */
export class MultiHeadAttention extends Module<MultiHeadAttentionInput, tf.Tensor | AttentionResult> {
  /** The configuration with defaults applied (`keyDim`, `valueDim`, `outputDim` are `null` until build when defaulted). */
  readonly config: Required<Omit<MultiHeadAttentionConfig, 'name' | 'keyDim' | 'valueDim' | 'outputDim'>> & {
    /** Per-head query/key size, or `null` to derive at build. */
    readonly keyDim: number | null;
    /** Per-head value size, or `null` to derive at build. */
    readonly valueDim: number | null;
    /** Output features, or `null` to derive at build. */
    readonly outputDim: number | null;
  };
  /** The query projection (`[Fq] → [H, Dk]`), after build. */
  query: MultiAxisDense | null = null;
  /** The key projection (`[Fk] → [H, Dk]`), after build. */
  key: MultiAxisDense | null = null;
  /** The value projection (`[Fv] → [H, Dv]`), after build. */
  value: MultiAxisDense | null = null;
  /** The output projection (`[H, Dv] → [O]`), after build. */
  output: MultiAxisDense | null = null;

  constructor(config: MultiHeadAttentionConfig) {
    super(config);
    const positive = (field: string, v: number | undefined, required: boolean): void => {
      if ((v !== undefined || required) && !(Number.isInteger(v) && v! > 0)) {
        throw new ConfigError(`MultiHeadAttention '${this.name}': ${field} expected a positive integer, got ${v}`);
      }
    };
    positive('numHeads', config.numHeads, true);
    positive('keyDim', config.keyDim, false);
    positive('valueDim', config.valueDim, false);
    positive('outputDim', config.outputDim, false);
    checkRate(`MultiHeadAttention '${this.name}'`, config.dropout ?? 0);
    this.config = {
      numHeads: config.numHeads,
      keyDim: config.keyDim ?? null,
      valueDim: config.valueDim ?? config.keyDim ?? null,
      outputDim: config.outputDim ?? null,
      dropout: config.dropout ?? 0,
      ...resolveKernelLayerConfig(config),
    };
  }

  /**
   * Runs the attention; see {@link MultiHeadAttentionApplyOptions}.
   *
   * @returns the output `[batch, T, outputDim]`, or `{ output, scores }` with
   *   `returnAttentionScores: true`.
   */
  override apply(input: MultiHeadAttentionInput, options: MultiHeadAttentionApplyOptions & { returnAttentionScores: true }): AttentionResult;
  override apply(input: MultiHeadAttentionInput, options?: MultiHeadAttentionApplyOptions & { returnAttentionScores?: false }): tf.Tensor;
  override apply(input: MultiHeadAttentionInput, options?: MultiHeadAttentionApplyOptions): tf.Tensor | AttentionResult;
  override apply(input: MultiHeadAttentionInput, options: MultiHeadAttentionApplyOptions = {}): tf.Tensor | AttentionResult {
    return super.apply(input, options);
  }

  protected override onBuild(inputShape: ShapeOf<MultiHeadAttentionInput>): void {
    const c = this.config;
    const features = (arg: string, shape: Shape | undefined): number => {
      const f = shape?.[2];
      assert(
        shape !== undefined && shape.length === 3 && typeof f === 'number',
        () => new ShapeError(`${this.label}: ${arg} expected rank 3 [batch, length, features] with known features, got ${shape === undefined ? 'nothing' : formatShape(shape)}`),
      );
      return f;
    };
    const fq = features('query', inputShape.query);
    const fv = features('value', inputShape.value);
    const fk = inputShape.key === undefined ? fv : features('key', inputShape.key);
    if (c.keyDim === null && fq % c.numHeads !== 0) {
      throw new ShapeError(`${this.label}: query features expected a multiple of numHeads ${c.numHeads}, got ${fq}`, {
        help: 'keyDim defaults to queryFeatures / numHeads; set keyDim explicitly or change numHeads',
      });
    }
    const keyDim = c.keyDim ?? fq / c.numHeads;
    const valueDim = c.valueDim ?? keyDim;
    const outputDim = c.outputDim ?? fq;
    const projection = (name: string, units: number | number[], inputAxes = 1): MultiAxisDense =>
      new MultiAxisDense({ name, units, inputAxes, ...resolveKernelLayerConfig(c) });
    // The sizes may come from the input, so the children are made here rather than in the
    // constructor; `??=` keeps a rebuild after dispose() from registering them twice.
    this.query ??= this.addModule('query', projection('query', [c.numHeads, keyDim]));
    this.key ??= this.addModule('key', projection('key', [c.numHeads, keyDim]));
    this.value ??= this.addModule('value', projection('value', [c.numHeads, valueDim]));
    this.output ??= this.addModule('output', projection('output', outputDim, 2));
    this.query.build([null, null, fq]);
    this.key.build([null, null, fk]);
    this.value.build([null, null, fv]);
    this.output.build([null, null, c.numHeads, valueDim]);
  }

  override outputShape(inputShape: ShapeOf<MultiHeadAttentionInput>): Shape {
    return multiHeadAttentionOutputShape(inputShape, this.config.outputDim ?? this.output?.config.units[0]);
  }

  /**
   * The live weights, for {@link multiHeadAttention}.
   *
   * @throws ConfigError before build.
   * @example
   * ```ts
   * const { query, output } = mha.weights(); // query.kernel: [Fq, H, Dk]
   * ```
   */
  weights(): MultiHeadAttentionWeights {
    if (!this.built) throw new ConfigError(`${this.label}: weights need a built module`, { help: 'call build() or apply() first' });
    const w = (p: MultiAxisDense | null): ProjectionWeights => ({ kernel: p!.kernel!, bias: p!.bias });
    return { query: w(this.query), key: w(this.key), value: w(this.value), output: w(this.output) };
  }

  protected call(input: MultiHeadAttentionInput, options: ApplyOptions): tf.Tensor | AttentionResult {
    const o = options as MultiHeadAttentionApplyOptions;
    const result = multiHeadAttention(input, this.weights(), {
      keyMask: o.keyMask ?? null,
      attentionMask: o.attentionMask ?? null,
      useCausalMask: o.useCausalMask ?? false,
      dropoutRate: this.config.dropout,
      rng: o.training && this.config.dropout > 0 ? this.nextRng() : null,
      unit: this.label,
    });
    if (o.returnAttentionScores) return result;
    result.scores.dispose();
    return result.output;
  }
}

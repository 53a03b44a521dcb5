import { ConfigError, ShapeError, ValueError, assertDtype, formatShape, tf } from '@tensorloom/core';
import { randomUniform } from '../initializers/initializers.js';
import type { InitializerLike } from '../initializers/initializers.js';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';
import type { Constraint, Regularizer } from '../regularizers/regularizers.js';

/**
 * Configuration of {@link Embedding}.
 *
 * @example
 * ```ts
 * const config: EmbeddingConfig = { inputDim: 10000, outputDim: 64, maskZero: true };
 * ```
 *
 * @group Embeddings
 */
export interface EmbeddingConfig extends ModuleConfig {
  /** Vocabulary size: ids are integers in [0, inputDim). Required, a positive integer. */
  inputDim: number;
  /** Size of each embedding vector. Required, a positive integer. */
  outputDim: number;
  /** Initializer of `embeddings` `[inputDim, outputDim]`. Default `randomUniform(-0.05, 0.05)`, as Keras and tfjs-layers. */
  embeddingsInitializer?: InitializerLike;
  /** Penalty on `embeddings`. Default none. */
  embeddingsRegularizer?: Regularizer | null;
  /** Projection of `embeddings` after each step. Default none. */
  embeddingsConstraint?: Constraint | null;
  /**
   * Treat id 0 as padding (Keras `mask_zero`): {@link Embedding.computeMask} returns
   * `ids != 0`. Id 0 is still looked up, so the vocabulary needs `inputDim = words + 1`.
   * Same as `padId: 0`. Default `false`.
   */
  maskZero?: boolean;
  /**
   * The padding id, an integer in [0, inputDim): {@link Embedding.computeMask} returns
   * `ids != padId`. Default `null` (no mask), or `0` with `maskZero`.
   */
  padId?: number | null;
}

/**
 * The output shape of {@link Embedding}: the input shape with `outputDim` appended.
 *
 * @example
 * ```ts
 * embeddingOutputShape([null, 20], 64); // [null, 20, 64]
 * ```
 *
 * @group Embeddings
 */
export function embeddingOutputShape(inputShape: Shape, outputDim: number): Shape {
  return [...inputShape, outputDim];
}

/**
 * Looks up rows of an embedding table: `out[..., :] = embeddings[ids[...], :]`.
 *
 * Float ids are cast to int32 (truncated). Ids outside [0, inputDim) are not checked here:
 * the cpu backend throws, other backends may return zeros (see {@link Embedding}).
 *
 * @param ids - `[...]`, int32 (or float32 holding integers).
 * @param embeddings - `[inputDim, outputDim]`.
 * @returns `[..., outputDim]`.
 * @example
 * ```ts
 * const vectors = embedding(tf.tensor([[1, 2]], undefined, 'int32'), table); // [1, 2, outputDim]
 * ```
 *
 * @group Embeddings
 */
export function embedding(ids: tf.Tensor, embeddings: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const flat = tf.reshape(ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'), [-1]); // (N)
    const rows = tf.gather(embeddings, flat); // (N, D)
    return tf.reshape(rows, [...ids.shape, embeddings.shape[1]!]); // (..., D)
  });
}

/**
 * The padding mask of a batch of ids: `true` where `ids != padId`.
 *
 * @example
 * ```ts
 * embeddingMask(tf.tensor([[3, 1, 0, 0]], undefined, 'int32'), 0); // [[true, true, false, false]]
 * ```
 *
 * @group Embeddings
 */
export function embeddingMask(ids: tf.Tensor, padId: number): tf.Tensor {
  return tf.tidy(() => tf.notEqual(ids, tf.scalar(padId, ids.dtype)));
}

/** Backends whose tensors live in JavaScript-visible memory (native's are on the wasm heap): reading ids there costs a copy at most. */
const CHEAP_READ_BACKENDS: ReadonlySet<string> = new Set(['cpu', 'wasm', 'native']);

/**
 * Maps integer ids to dense vectors (a trainable lookup table), as Keras `Embedding`.
 *
 * Input shape: `[batch, ...]` of ids (int32; float32 ids are cast, so the zeros of a
 * default build dry-run work).
 * Output shape: `[batch, ..., outputDim]`.
 *
 * Parameters: `embeddings` `[inputDim, outputDim]`.
 *
 * Masks: with `maskZero` or `padId`, {@link Embedding.computeMask} gives `ids != padId`
 * (bool, the input's shape), which {@link Sequential} hands to the next layer: recurrent
 * layers then skip the padded steps.
 *
 * Id checks: on the `cpu` and `wasm` backends, where tensors live in JavaScript memory,
 * every id is read and one outside [0, inputDim) (or a non-integer float) throws a
 * ValueError naming it and its position. On GPU backends the check would force a device read-back on every
 * call, so it is skipped and the lookup follows the backend (zeros on WebGL).
 *
 * @example
 * ```ts
 * const emb = new Embedding({ inputDim: 1000, outputDim: 16, maskZero: true });
 * const ids = tf.tensor([[5, 7, 0, 0]], undefined, 'int32');
 * const vectors = emb.apply(ids);        // [1, 4, 16]
 * const mask = emb.computeMask(ids, null); // [[true, true, false, false]]
 * ```
 *
 * @group Embeddings
 */
export class Embedding extends Module {
  /** The configuration with defaults applied (`padId` resolved from `maskZero`). */
  readonly config: Required<Omit<EmbeddingConfig, 'name' | 'maskZero'>>;
  /** `[inputDim, outputDim]`, after build. */
  embeddings: tf.Variable | null = null;

  constructor(config: EmbeddingConfig) {
    super(config);
    const unit = `Embedding '${this.name}'`;
    for (const key of ['inputDim', 'outputDim'] as const) {
      if (!Number.isInteger(config[key]) || config[key] <= 0) {
        throw new ConfigError(`${unit}: ${key} expected a positive integer, got ${config[key]}`);
      }
    }
    const given = config.padId ?? null;
    if (config.maskZero && given !== null && given !== 0) {
      throw new ConfigError(`${unit}: padId expected 0 or null with maskZero, got ${given}`, {
        help: 'maskZero is shorthand for padId: 0; give one of them',
      });
    }
    const padId = config.maskZero ? 0 : given;
    if (padId !== null && (!Number.isInteger(padId) || padId < 0 || padId >= config.inputDim)) {
      throw new ConfigError(`${unit}: padId expected an integer in [0, ${config.inputDim}), got ${padId}`);
    }
    this.config = {
      inputDim: config.inputDim,
      outputDim: config.outputDim,
      embeddingsInitializer: config.embeddingsInitializer ?? randomUniform(-0.05, 0.05),
      embeddingsRegularizer: config.embeddingsRegularizer ?? null,
      embeddingsConstraint: config.embeddingsConstraint ?? null,
      padId,
    };
  }

  protected override onBuild(inputShape: Shape): void {
    if (inputShape.length < 1) {
      throw new ShapeError(`${this.label}: input expected rank >= 1 [batch, ...], got ${formatShape(inputShape)}`);
    }
    const c = this.config;
    this.embeddings = this.addParameter('embeddings', [c.inputDim, c.outputDim], c.embeddingsInitializer, {
      regularizer: c.embeddingsRegularizer,
      constraint: c.embeddingsConstraint,
    });
  }

  override outputShape(inputShape: Shape): Shape {
    return embeddingOutputShape(inputShape, this.config.outputDim);
  }

  /** `ids != padId` (bool, the ids' shape) when a pad id is set, else `null`. */
  override computeMask(ids: tf.Tensor, _mask: tf.Tensor | null): tf.Tensor | null {
    return this.config.padId === null ? null : embeddingMask(ids, this.config.padId);
  }

  /** Takes the ids with their dtype: they are integers, never cast to float32 (see {@link Module.inputDtype}). */
  protected override get inputDtype(): 'any' {
    return 'any';
  }

  protected call(ids: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    assertDtype(this.label, 'input', ids, ['int32', 'float32']);
    if (ids.rank < 1) throw new ShapeError(`${this.label}: input expected rank >= 1 [batch, ...], got ${formatShape(ids.shape)}`);
    if (CHEAP_READ_BACKENDS.has(tf.getBackend())) this.checkIds(ids);
    return embedding(ids, this.embeddings!);
  }

  private checkIds(ids: tf.Tensor): void {
    const values = ids.dataSync();
    const n = this.config.inputDim;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(v >= 0 && v < n && Number.isInteger(v))) {
        throw new ValueError(`${this.label}: input id expected an integer in [0, ${n}), got ${v} at flat index ${i}`);
      }
    }
  }
}

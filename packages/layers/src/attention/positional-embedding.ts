import { ConfigError, ShapeError, assert, assertRank, formatShape, tf } from '@tensorloom/core';
import type { InitializerLike } from '../initializers/initializers.js';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';
import type { Constraint, Regularizer } from '../regularizers/regularizers.js';

/**
 * Configuration of {@link PositionalEmbedding}.
 *
 * @example
 * ```ts
 * const config: PositionalEmbeddingConfig = { maxLength: 128, initializer: initializers.truncatedNormal(0, 0.02) };
 * ```
 *
 * @group Embeddings
 */
export interface PositionalEmbeddingConfig extends ModuleConfig {
  /** The longest sequence it can embed (rows of the table). Required, a positive integer. */
  maxLength: number;
  /** Initializer of the table. Default `'glorotUniform'`, as keras-hub's `PositionEmbedding`. */
  initializer?: InitializerLike;
  /** Penalty on the table. Default none. */
  regularizer?: Regularizer | null;
  /** Projection of the table after each step. Default none. */
  constraint?: Constraint | null;
}

/**
 * The output shape of {@link PositionalEmbedding}: the input's.
 *
 * @example
 * ```ts
 * positionalEmbeddingOutputShape([null, 10, 64]); // [null, 10, 64]
 * ```
 *
 * @group Embeddings
 */
export function positionalEmbeddingOutputShape(inputShape: Shape): Shape {
  return inputShape;
}

/**
 * Adds the first `T` rows of a position table to a sequence: `y[b, t, :] = x[b, t, :] + E[t, :]`.
 *
 * @param x - `[batch, T, features]`.
 * @param embeddings - `[maxLength, features]` with `maxLength ≥ T`.
 * @returns `[batch, T, features]`.
 * @example
 * ```ts
 * const y = positionalEmbedding(x, table);
 * ```
 *
 * @group Embeddings
 */
export function positionalEmbedding(x: tf.Tensor, embeddings: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [, t, d] = x.shape as [number, number, number];
    return tf.add(x, tf.slice(embeddings, [0, 0], [t, d])); // (B, T, D) + (T, D)
  });
}

/**
 * A learned position embedding added to its input (as in BERT and GPT-2): position `t` gets
 * its own trained vector `E[t]`. Sequences may be shorter than `maxLength`, never longer.
 *
 * Input shape: `[batch, time ≤ maxLength, features]`. Output shape: the input's.
 *
 * Parameters: `embeddings` `[maxLength, features]`.
 *
 * @example
 * ```ts
 * const pos = new PositionalEmbedding({ maxLength: 64, name: 'pos' }).build([null, 64, 32], rng(1));
 * const y = pos.apply(embedded); // embedded: [batch, ≤ 64, 32]
 * ```
 *
 * @group Embeddings
 */
export class PositionalEmbedding extends Module {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<PositionalEmbeddingConfig, 'name'>>;
  /** `[maxLength, features]`, after build. */
  embeddings: tf.Variable | null = null;

  constructor(config: PositionalEmbeddingConfig) {
    super(config);
    if (!Number.isInteger(config.maxLength) || config.maxLength <= 0) {
      throw new ConfigError(`PositionalEmbedding '${this.name}': maxLength expected a positive integer, got ${config.maxLength}`);
    }
    this.config = {
      maxLength: config.maxLength,
      initializer: config.initializer ?? 'glorotUniform',
      regularizer: config.regularizer ?? null,
      constraint: config.constraint ?? null,
    };
  }

  protected override onBuild(inputShape: Shape): void {
    const d = inputShape[2];
    assert(
      inputShape.length === 3 && typeof d === 'number',
      () => new ShapeError(`${this.label}: input expected rank 3 [batch, time, features] with known features, got ${formatShape(inputShape)}`),
    );
    const c = this.config;
    const t = inputShape[1];
    if (typeof t === 'number' && t > c.maxLength) {
      throw new ShapeError(`${this.label}: input length expected at most ${c.maxLength} (maxLength), got ${formatShape(inputShape)}`);
    }
    this.embeddings = this.addParameter('embeddings', [c.maxLength, d], c.initializer, { regularizer: c.regularizer, constraint: c.constraint });
  }

  override outputShape(inputShape: Shape): Shape {
    return positionalEmbeddingOutputShape(inputShape);
  }

  protected call(x: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    assertRank(this.label, 'input', x, 3, '[batch, time, features]');
    const [maxLength, d] = this.embeddings!.shape as [number, number];
    if (x.shape[1]! > maxLength) {
      throw new ShapeError(`${this.label}: input length expected at most ${maxLength} (maxLength), got shape ${formatShape(x.shape)}`);
    }
    if (x.shape[2] !== d) throw new ShapeError(`${this.label}: input axis 2 expected ${d}, got shape ${formatShape(x.shape)}`);
    return positionalEmbedding(x, this.embeddings!);
  }
}

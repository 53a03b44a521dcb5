import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';

/**
 * The output shape of {@link Flatten}: `[batch, product of the rest]`.
 *
 * @example
 * ```ts
 * flattenOutputShape([null, 28, 28, 1]); // [null, 784]
 * ```
 *
 * @group Reshaping
 */
export function flattenOutputShape(inputShape: Shape): Shape {
  const rest = inputShape.slice(1);
  if (rest.some((d) => d === null)) {
    throw new ShapeError(`Flatten: input axes after the batch must be known, got ${formatShape(inputShape)}`);
  }
  return [inputShape[0] ?? null, (rest as number[]).reduce((a, b) => a * b, 1)];
}

/**
 * Flattens every axis after the batch axis.
 *
 * Input shape: `[batch, ...]`. Output shape: `[batch, product of ...]`.
 *
 * @example
 * ```ts
 * new Flatten().apply(tf.zeros([32, 7, 7, 64])).shape; // [32, 3136]
 * ```
 *
 * @group Reshaping
 */
export class Flatten extends Module {
  protected override onBuild(): void {}

  override outputShape(inputShape: Shape): Shape {
    return flattenOutputShape(inputShape);
  }

  /** Keeps the input's dtype: rearranging values needs no float (see {@link Module.inputDtype}). */
  protected override get inputDtype(): 'any' {
    return 'any';
  }

  protected call(x: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    if (x.rank < 2) throw new ShapeError(`${this.label}: input expected rank >= 2 [batch, ...], got ${formatShape(x.shape)}`);
    return tf.reshape(x, [x.shape[0]!, -1]);
  }
}

/**
 * Configuration of {@link Reshape}.
 *
 * @example
 * ```ts
 * const config: ReshapeConfig = { targetShape: [7, 7, 64] };
 * ```
 *
 * @group Reshaping
 */
export interface ReshapeConfig extends ModuleConfig {
  /** The shape of each example (batch excluded); one entry may be -1 (inferred). Required. */
  targetShape: readonly number[];
}

/**
 * The output shape of {@link Reshape}, resolving a -1 entry.
 *
 * @throws ShapeError when the sizes do not match.
 * @example
 * ```ts
 * reshapeOutputShape([null, 784], [28, -1]); // [null, 28, 28]
 * ```
 *
 * @group Reshaping
 */
export function reshapeOutputShape(inputShape: Shape, targetShape: readonly number[], unit = 'Reshape'): Shape {
  const rest = inputShape.slice(1);
  const known = targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  if (rest.some((d) => d === null)) {
    return [inputShape[0] ?? null, ...targetShape.map((d) => (d === -1 ? null : d))];
  }
  const total = (rest as number[]).reduce((a, b) => a * b, 1);
  const inferred = total / known;
  const ok = targetShape.includes(-1) ? Number.isInteger(inferred) : total === known;
  if (!ok) {
    throw new ShapeError(
      `${unit}: targetShape [${targetShape.join(', ')}] expected ${total} elements per example, got input shape ${formatShape(inputShape)}`,
    );
  }
  return [inputShape[0] ?? null, ...targetShape.map((d) => (d === -1 ? inferred : d))];
}

/**
 * Reshapes each example to `targetShape`.
 *
 * Input shape: `[batch, ...]`. Output shape: `[batch, ...targetShape]`.
 *
 * @example
 * ```ts
 * new Reshape({ targetShape: [28, 28, 1] }).apply(tf.zeros([2, 784])).shape; // [2, 28, 28, 1]
 * ```
 *
 * @group Reshaping
 */
export class Reshape extends Module {
  /** Per-example target shape (may hold one -1). */
  readonly targetShape: readonly number[];

  constructor(config: ReshapeConfig) {
    super(config);
    const t = config.targetShape;
    if (t.some((d) => !Number.isInteger(d) || (d < 1 && d !== -1)) || t.filter((d) => d === -1).length > 1) {
      throw new ConfigError(`Reshape '${this.name}': targetShape expected positive integers and at most one -1, got [${t.join(', ')}]`);
    }
    this.targetShape = [...t];
  }

  protected override onBuild(): void {}

  override outputShape(inputShape: Shape): Shape {
    return reshapeOutputShape(inputShape, this.targetShape, this.label);
  }

  /** Keeps the input's dtype: rearranging values needs no float (see {@link Module.inputDtype}). */
  protected override get inputDtype(): 'any' {
    return 'any';
  }

  protected call(x: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    const out = reshapeOutputShape(x.shape, this.targetShape, this.label) as number[];
    return tf.reshape(x, out);
  }
}

/**
 * Configuration of {@link Permute}.
 *
 * @example
 * ```ts
 * const config: PermuteConfig = { dims: [2, 1] }; // swap time and features
 * ```
 *
 * @group Reshaping
 */
export interface PermuteConfig extends ModuleConfig {
  /** A permutation of `1 … rank-1` (1-based, batch axis excluded, as Keras). Required. */
  dims: readonly number[];
}

/**
 * Permutes the non-batch axes.
 *
 * Input shape: `[batch, d1, …, dn]`. Output shape: `[batch, d_dims[0], …]`.
 *
 * @example
 * ```ts
 * new Permute({ dims: [2, 1] }).apply(tf.zeros([4, 10, 64])).shape; // [4, 64, 10]
 * ```
 *
 * @group Reshaping
 */
export class Permute extends Module {
  /** The 1-based permutation. */
  readonly dims: readonly number[];

  constructor(config: PermuteConfig) {
    super(config);
    const sorted = [...config.dims].sort((a, b) => a - b);
    if (sorted.length === 0 || sorted.some((d, i) => d !== i + 1)) {
      throw new ConfigError(`Permute '${this.name}': dims expected a permutation of 1…${config.dims.length}, got [${config.dims.join(', ')}]`);
    }
    this.dims = [...config.dims];
  }

  protected override onBuild(inputShape: Shape): void {
    this.checkRank(inputShape);
  }

  private checkRank(shape: Shape): void {
    if (shape.length !== this.dims.length + 1) {
      throw new ShapeError(`${this.label}: input expected rank ${this.dims.length + 1}, got ${formatShape(shape)}`);
    }
  }

  override outputShape(inputShape: Shape): Shape {
    this.checkRank(inputShape);
    return [inputShape[0] ?? null, ...this.dims.map((d) => inputShape[d]!)];
  }

  /** Keeps the input's dtype: rearranging values needs no float (see {@link Module.inputDtype}). */
  protected override get inputDtype(): 'any' {
    return 'any';
  }

  protected call(x: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    this.checkRank(x.shape);
    return tf.transpose(x, [0, ...this.dims]);
  }
}

/**
 * Returns its input unchanged (a copy that the caller owns). Useful as a placeholder in
 * architectures with optional blocks.
 *
 * Input shape: any. Output shape: the input's.
 *
 * @example
 * ```ts
 * const shortcut = useProjection ? new Dense({ units: 64 }) : new Identity();
 * ```
 *
 * @group Reshaping
 */
export class Identity extends Module {
  protected override onBuild(): void {}

  override outputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  /** Keeps the input's dtype: rearranging values needs no float (see {@link Module.inputDtype}). */
  protected override get inputDtype(): 'any' {
    return 'any';
  }

  protected call(x: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    return tf.clone(x);
  }
}

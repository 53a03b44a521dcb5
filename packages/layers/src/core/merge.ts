import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';

/** Broadcasts two shapes (numpy rules; `null` is unknown and matches anything). */
function broadcastShapes(unit: string, a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const out: (number | null)[] = [];
  for (let i = 0; i < rank; i++) {
    const ia = a.length - rank + i;
    const ib = b.length - rank + i;
    const da = ia < 0 ? 1 : (a[ia] as number | null);
    const db = ib < 0 ? 1 : (b[ib] as number | null);
    if (da === null || db === null) out.push(da === 1 ? db : db === 1 ? da : (da ?? db));
    else if (da === db || db === 1) out.push(da);
    else if (da === 1) out.push(db);
    else throw new ShapeError(`${unit}: inputs must broadcast, got ${formatShape(a)} and ${formatShape(b)}`);
  }
  return out;
}

/** Elementwise merge of a list of tensors with one binary op. */
abstract class ElementwiseMerge extends Module<tf.Tensor[], tf.Tensor> {
  /** Combines two inputs elementwise. */
  protected abstract combine(a: tf.Tensor, b: tf.Tensor): tf.Tensor;

  protected override onBuild(inputShape: Shape[]): void {
    this.outputShape(inputShape);
  }

  override outputShape(inputShape: Shape[]): Shape {
    if (!Array.isArray(inputShape) || inputShape.length < 2 || !Array.isArray(inputShape[0])) {
      throw new ShapeError(`${this.label}: input expected a list of at least 2 tensors, got ${JSON.stringify(inputShape)}`);
    }
    return inputShape.reduce((acc, s) => broadcastShapes(this.label, acc, s));
  }

  protected call(inputs: tf.Tensor[], _options: ApplyOptions): tf.Tensor {
    this.outputShape(inputs.map((t) => t.shape));
    return tf.tidy(() => inputs.slice(1).reduce((acc, t) => this.combine(acc, t), inputs[0]!));
  }
}

/**
 * Adds a list of tensors elementwise (with broadcasting): residual connections.
 *
 * Input shape: a list of ≥ 2 broadcast-compatible shapes. Output shape: their broadcast.
 *
 * @example
 * ```ts
 * const y = new Add().apply([x, block.apply(x)]);
 * ```
 *
 * @group Merging
 */
export class Add extends ElementwiseMerge {
  protected combine(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.add(a, b);
  }
}

/**
 * Multiplies a list of tensors elementwise (with broadcasting): gating.
 *
 * Input shape: a list of ≥ 2 broadcast-compatible shapes. Output shape: their broadcast.
 *
 * @example
 * ```ts
 * const gated = new Multiply().apply([h, tf.sigmoid(gate)]);
 * ```
 *
 * @group Merging
 */
export class Multiply extends ElementwiseMerge {
  protected combine(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.mul(a, b);
  }
}

/**
 * Configuration of {@link Concatenate}.
 *
 * @example
 * ```ts
 * const config: ConcatenateConfig = { axis: -1 };
 * ```
 *
 * @group Merging
 */
export interface ConcatenateConfig extends ModuleConfig {
  /** The axis to join along; negative counts from the end. Default -1. */
  axis?: number;
}

/**
 * The output shape of {@link Concatenate}.
 *
 * @throws ShapeError when ranks differ or another axis disagrees.
 * @example
 * ```ts
 * concatenateOutputShape([[null, 4, 8], [null, 4, 2]], -1); // [null, 4, 10]
 * ```
 *
 * @group Merging
 */
export function concatenateOutputShape(shapes: Shape[], axis: number, unit = 'Concatenate'): Shape {
  if (!Array.isArray(shapes) || shapes.length < 2 || !Array.isArray(shapes[0])) {
    throw new ShapeError(`${unit}: input expected a list of at least 2 tensors, got ${JSON.stringify(shapes)}`);
  }
  const rank = shapes[0].length;
  const ax = axis < 0 ? rank + axis : axis;
  if (ax < 1 || ax >= rank) throw new ShapeError(`${unit}: axis ${axis} expected a non-batch axis of rank ${rank} inputs`);
  const out = [...shapes[0]];
  for (const s of shapes.slice(1)) {
    if (s.length !== rank || s.some((d, i) => i !== ax && d !== null && out[i] !== null && d !== out[i])) {
      throw new ShapeError(`${unit}: inputs must match except on axis ${axis}, got ${shapes.map(formatShape).join(' and ')}`);
    }
    out[ax] = out[ax] === null || s[ax] === null ? null : out[ax]! + s[ax]!;
  }
  return out;
}

/**
 * Concatenates a list of tensors along an axis (skip connections in U-Nets, multi-branch blocks).
 *
 * Input shape: a list of ≥ 2 shapes equal except on `axis`. Output shape: sizes on `axis` summed.
 *
 * @example
 * ```ts
 * const merged = new Concatenate({ axis: -1 }).apply([up, skip]);
 * ```
 *
 * @group Merging
 */
export class Concatenate extends Module<tf.Tensor[], tf.Tensor> {
  /** The axis joined along. */
  readonly axis: number;

  constructor(config: ConcatenateConfig = {}) {
    super(config);
    const axis = config.axis ?? -1;
    if (!Number.isInteger(axis) || axis === 0) {
      throw new ConfigError(`Concatenate '${this.name}': axis expected a non-zero integer (0 is the batch), got ${axis}`);
    }
    this.axis = axis;
  }

  protected override onBuild(inputShape: Shape[]): void {
    this.outputShape(inputShape);
  }

  override outputShape(inputShape: Shape[]): Shape {
    return concatenateOutputShape(inputShape, this.axis, this.label);
  }

  /** Keeps the inputs' dtype: joining tensors needs no float (see {@link Module.inputDtype}). */
  protected override get inputDtype(): 'any' {
    return 'any';
  }

  protected call(inputs: tf.Tensor[], _options: ApplyOptions): tf.Tensor {
    this.outputShape(inputs.map((t) => t.shape));
    return tf.concat(inputs, this.axis < 0 ? inputs[0]!.rank + this.axis : this.axis);
  }
}

import { ConfigError, DTypeError, ShapeError, ValueError, formatShape, tf } from '@tensorloom/core';

import type { Loss, Reduction } from './loss.js';

// Shared plumbing of the loss factories: option checks, reductions and sample weights.

/** @internal The unit of a loss's messages: `Loss 'mean_squared_error'`. */
export function lossUnit(name: string): string {
  return `Loss '${name}'`;
}

/**
 * Options every loss takes.
 *
 * @example
 * ```ts
 * const options: BaseLossOptions = { reduction: 'sum' };
 * ```
 */
export interface BaseLossOptions {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  reduction?: Reduction;
}

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];

/** @internal Checks the reduction option. */
export function checkReduction(name: string, value: unknown): Reduction {
  const r = value ?? 'mean';
  if (!REDUCTIONS.includes(r as Reduction)) {
    throw new ConfigError(`${lossUnit(name)}: reduction expected 'mean', 'sum' or 'none', got ${JSON.stringify(r)}`);
  }
  return r as Reduction;
}

/** @internal Rejects unknown option keys. */
export function checkLossOptions(name: string, options: object, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(`${lossUnit(name)}: options expected an object, got ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key) && key !== 'reduction') {
      throw new ConfigError(
        `${lossUnit(name)}: option '${key}' expected one of ${[...known, 'reduction'].join(', ')}, got an unknown option`,
      );
    }
  }
}

/** @internal A finite number in a range. */
export function checkNumber(name: string, option: string, value: number, lo: number, hi: number, what: string): number {
  if (typeof value !== 'number' || !(value >= lo && value <= hi)) {
    throw new ConfigError(`${lossUnit(name)}: ${option} expected ${what}, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
  }
  return value;
}

/** @internal A boolean option. */
export function checkFlag(name: string, option: string, value: unknown, fallback: boolean): boolean {
  const v = value ?? fallback;
  if (typeof v !== 'boolean') throw new ConfigError(`${lossUnit(name)}: ${option} expected a boolean, got ${JSON.stringify(v)}`);
  return v;
}

/** @internal Checks that yTrue and yPred have the same shape. */
export function checkSameShape(name: string, yTrue: tf.Tensor, yPred: tf.Tensor): void {
  if (!tf.util.arraysEqual(yTrue.shape, yPred.shape)) {
    throw new ShapeError(
      `${lossUnit(name)}: yTrue expected the shape of yPred ${formatShape(yPred.shape)}, got ${formatShape(yTrue.shape)}`,
    );
  }
}

/** @internal Checks that a tensor is floating point. */
export function checkFloat(name: string, arg: string, t: tf.Tensor): void {
  if (t.dtype !== 'float32') {
    throw new DTypeError(`${lossUnit(name)}: ${arg} expected dtype float32, got ${t.dtype}`);
  }
}

/**
 * @internal Applies weights and the reduction to per-sample values `perSample` (shape S).
 *
 * `elementWeight` (shape S: class weights of the targets, the ignore mask) also becomes the
 * denominator of `'mean'` (`Σ l·w / Σ w`, as PyTorch's weighted cross-entropy); without it `'mean'`
 * divides by the number of values. `sampleWeight` has a prefix of S as its shape (`[batch]` or all
 * of S) and only multiplies (`Σ l·s / n`, as Keras). An all-zero denominator gives 0.
 */
export function reduceLoss(
  name: string,
  perSample: tf.Tensor,
  reduction: Reduction,
  sampleWeight: tf.Tensor | undefined,
  elementWeight?: tf.Tensor,
): tf.Tensor {
  return tf.tidy(() => {
    let weighted = perSample;
    if (elementWeight !== undefined) weighted = tf.mul(weighted, elementWeight);
    if (sampleWeight !== undefined) weighted = tf.mul(weighted, broadcastSampleWeight(name, sampleWeight, perSample.shape));
    if (reduction === 'none') return weighted;
    const total = tf.sum(weighted);
    if (reduction === 'sum') return total;
    if (elementWeight === undefined) return tf.div(total, Math.max(perSample.size, 1));
    const denom = tf.sum(elementWeight);
    return tf.where(tf.greater(denom, 0), tf.div(total, tf.maximum(denom, 1e-30)), tf.zerosLike(total));
  });
}

function broadcastSampleWeight(name: string, w: tf.Tensor, shape: number[]): tf.Tensor {
  const ok = w.rank <= shape.length && w.shape.every((d, i) => d === shape[i]);
  if (!ok) {
    throw new ShapeError(
      `${lossUnit(name)}: sampleWeight expected shape [batch] or a leading part of ${formatShape(shape)}, got ${formatShape(w.shape)}`,
    );
  }
  const cast = w.dtype === 'float32' ? w : tf.cast(w, 'float32');
  return w.rank === shape.length ? cast : tf.reshape(cast, [...w.shape, ...shape.slice(w.rank).map(() => 1)]);
}

/** @internal Builds the {@link Loss} callable with its name. */
export function makeLoss(
  name: string,
  fn: (yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor) => tf.Tensor,
): Loss {
  const loss = ((yTrue: tf.Tensor, yPred: tf.Tensor, sampleWeight?: tf.Tensor) => {
    if (!(yTrue instanceof tf.Tensor) || !(yPred instanceof tf.Tensor)) {
      throw new ValueError(`${lossUnit(name)}: yTrue and yPred expected tensors, got ${typeof yTrue} and ${typeof yPred}`);
    }
    return tf.tidy(() => fn(yTrue, yPred, sampleWeight));
  }) as Loss;
  Object.defineProperty(loss, 'lossName', { value: name, enumerable: true });
  return loss;
}

/** @internal Class weights as a tensor of shape [classes], checked. */
export function checkClassWeights(name: string, weights: readonly number[] | undefined): readonly number[] | undefined {
  if (weights === undefined) return undefined;
  if (!Array.isArray(weights) || weights.length === 0 || !weights.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0)) {
    throw new ConfigError(`${lossUnit(name)}: classWeights expected a non-empty array of finite numbers ≥ 0, got ${JSON.stringify(weights)}`);
  }
  return weights;
}

import type { TypedArray, tf } from '@tensorloom/core';

/** Re-exported from `@tensorloom/core`, where it is defined once. */
export type { TypedArray } from '@tensorloom/core';

/**
 * A nested array of numbers (or booleans, read as 0/1), any depth, rectangular; the
 * innermost rows may be typed arrays.
 *
 * @example
 * ```ts
 * const probs: NestedNumbers = [[0.1, 0.9], [0.8, 0.2]];
 * const rows: NestedNumbers = [new Float32Array([0.1, 0.9]), new Float32Array([0.8, 0.2])];
 * ```
 *
 * @group Metric interface
 */
export type NestedNumbers = readonly (number | boolean | TypedArray | NestedNumbers)[];

/**
 * What metrics accept as labels, predictions and sample weights: a tensor, a number, a
 * (nested) array of numbers or a typed array (read as one axis).
 *
 * Tensors are read with `dataSync()` and never disposed or kept by a metric: the caller
 * still owns them.
 *
 * @example
 * ```ts
 * const a: NumericInput = [0, 1, 1];
 * const b: NumericInput = new Float32Array([0.2, 0.7, 0.4]);
 * const c: NumericInput = tf.tensor2d([[0.1, 0.9]]);
 * ```
 *
 * @group Metric interface
 */
export type NumericInput = tf.Tensor | number | boolean | NestedNumbers | TypedArray;

/**
 * The interface every metric implements, so a training loop can drive any of them.
 *
 * A metric is a small state machine: `update` folds a batch into its state (a few typed
 * arrays, never tensors), `result` reads the value without changing the state, `reset`
 * empties it, and `merge` adds the state of another metric of the same kind and
 * configuration. Updating two metrics on two shards and merging them gives the same result
 * as one metric updated on all the data.
 *
 * @typeParam R - what `result()` returns (a number for most metrics).
 * @typeParam T - what `update` accepts as targets.
 * @typeParam P - what `update` accepts as predictions.
 * @example
 * ```ts
 * function evaluate(metrics: Record<string, Metric<number>>, batches: [number[], number[]][]) {
 *   for (const m of Object.values(metrics)) m.reset();
 *   for (const [yTrue, yPred] of batches) for (const m of Object.values(metrics)) m.update(yTrue, yPred);
 *   return Object.fromEntries(Object.values(metrics).map((m) => [m.name, m.result()]));
 * }
 * ```
 *
 * @group Metric interface
 */
export interface Metric<R = number, T = NumericInput, P = T> {
  /** The metric's name, used as its key in logs (default: the factory's name, e.g. `'accuracy'`). */
  readonly name: string;
  /**
   * Folds one batch into the state.
   *
   * @param yTrue - targets.
   * @param yPred - predictions.
   * @param sampleWeight - optional non-negative weights, one per sample (any prefix of the
   *   sample shape; see each metric).
   * @throws `ShapeError` when the shapes do not fit together, `ConfigError` for labels out of range,
   *   `ValueError` for a NaN or infinite prediction (a diverged model gets no score). A batch
   *   that throws leaves the state as it was.
   */
  update(yTrue: T, yPred: P, sampleWeight?: NumericInput): void;
  /** The metric's value for everything seen since the last `reset`. Does not change the state. */
  result(): R;
  /** Empties the state. */
  reset(): void;
  /**
   * Adds the state of `other` (same kind and configuration) into this metric.
   *
   * @returns this metric, for chaining (`shards.reduce((a, b) => a.merge(b))`).
   * @throws `ConfigError` when `other` is another kind of metric or configured differently.
   */
  merge(other: this): this;
  /** A new, empty metric of the same kind and configuration. */
  clone(): this;
}

/**
 * Options every metric takes.
 *
 * @example
 * ```ts
 * const valAcc = accuracy({ name: 'val_accuracy' });
 * ```
 *
 * @group Metric interface
 */
export interface MetricOptions {
  /** The name reported by `metric.name`. Default: the factory's name. */
  name?: string;
}

/**
 * Extra options of the one-shot `compute` form.
 *
 * @example
 * ```ts
 * meanSquaredError.compute([1, 2], [1, 3], { sampleWeight: [1, 3] }); // 0.75
 * ```
 *
 * @group Metric interface
 */
export interface ComputeOptions {
  /** Sample weights, as for {@link Metric.update}. */
  sampleWeight?: NumericInput;
}

/**
 * A metric factory: call it to get a stateful {@link Metric}, or use `compute` for a
 * one-shot value. Every metric in this package is exported as one of these.
 *
 * @typeParam O - the metric's options.
 * @typeParam R - what `result()` returns.
 * @typeParam T - targets accepted by `update`.
 * @typeParam P - predictions accepted by `update`.
 * @typeParam M - the metric object's type.
 * @example
 * ```ts
 * const acc = accuracy();                         // stateful: update per batch, result at the end
 * acc.update([0, 1], [[0.9, 0.1], [0.2, 0.8]]);
 * acc.result();                                   // 1
 * accuracy.compute([0, 1], [[0.9, 0.1], [0.8, 0.2]]); // one shot: 0.5
 * ```
 *
 * @group Metric interface
 */
export interface MetricFactory<O, R, T = NumericInput, P = T, M extends Metric<R, T, P> = Metric<R, T, P>> {
  /**
   * Creates a new, empty metric.
   *
   * @param options - the metric's options; validated here.
   * @throws `ConfigError` for an invalid option.
   */
  (options?: O): M;
  /**
   * Computes the metric in one pass: the same as creating it, calling `update` once and
   * reading `result`.
   *
   * @param yTrue - targets.
   * @param yPred - predictions.
   * @param options - the metric's options plus `sampleWeight`.
   */
  compute(yTrue: T, yPred: P, options?: O & ComputeOptions): R;
}

import { ConfigError, tf } from '@tensorloom/core';

/**
 * A weight penalty: maps a parameter to a scalar added to the training loss.
 *
 * @example
 * ```ts
 * const penalty: Regularizer = l2(1e-4);
 * ```
 *
 * @group Regularizers and constraints
 */
export type Regularizer = (weight: tf.Tensor) => tf.Scalar;

function checkFactor(name: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new ConfigError(`${name}: factor expected a finite number >= 0, got ${value}`);
  }
}

/**
 * L1 penalty `l1 · Σ|w|`.
 *
 * @example
 * ```ts
 * new Dense({ units: 10, kernelRegularizer: l1(1e-5) });
 * ```
 *
 * @group Regularizers and constraints
 */
export function l1(factor = 0.01): Regularizer {
  checkFactor('l1', factor);
  return (w) => tf.tidy(() => tf.mul(factor, tf.sum(tf.abs(w))));
}

/**
 * L2 penalty `l2 · Σw²` (Keras convention: no ½).
 *
 * @example
 * ```ts
 * new Dense({ units: 10, kernelRegularizer: l2(1e-4) });
 * ```
 *
 * @group Regularizers and constraints
 */
export function l2(factor = 0.01): Regularizer {
  checkFactor('l2', factor);
  return (w) => tf.tidy(() => tf.mul(factor, tf.sum(tf.square(w))));
}

/**
 * Both penalties: `l1 · Σ|w| + l2 · Σw²`.
 *
 * @example
 * ```ts
 * new Dense({ units: 10, kernelRegularizer: l1l2({ l1: 1e-5, l2: 1e-4 }) });
 * ```
 *
 * @group Regularizers and constraints
 */
export function l1l2(factors: {
  /** The L1 factor; default 0. */
  l1?: number;
  /** The L2 factor; default 0. */
  l2?: number;
}): Regularizer {
  const a = factors.l1 ?? 0;
  const b = factors.l2 ?? 0;
  checkFactor('l1l2', a);
  checkFactor('l1l2', b);
  return (w) => tf.tidy(() => tf.add(tf.mul(a, tf.sum(tf.abs(w))), tf.mul(b, tf.sum(tf.square(w)))));
}

/**
 * A projection applied to a parameter after each optimizer step.
 *
 * @example
 * ```ts
 * const c: Constraint = maxNorm(3);
 * ```
 *
 * @group Regularizers and constraints
 */
export type Constraint = (weight: tf.Tensor) => tf.Tensor;

function normAxes(w: tf.Tensor, axis: number | number[] | undefined): number[] {
  // Keras' default for kernels: the norm of each output unit's incoming weights,
  // i.e. over every axis but the last.
  if (axis === undefined) return w.rank <= 1 ? [0] : Array.from({ length: w.rank - 1 }, (_, i) => i);
  return typeof axis === 'number' ? [axis] : axis;
}

/**
 * Rescales each unit's incoming weight vector to norm at most `max` (Srivastava et al. 2014).
 *
 * @param max - the largest allowed norm.
 * @param axis - the axes the norm runs over; default all but the last.
 * @example
 * ```ts
 * new Dense({ units: 128, kernelConstraint: maxNorm(3) });
 * ```
 *
 * @group Regularizers and constraints
 */
export function maxNorm(max = 2, axis?: number | number[]): Constraint {
  if (!(max > 0)) throw new ConfigError(`maxNorm: max expected > 0, got ${max}`);
  return (w) =>
    tf.tidy(() => {
      const norms = tf.sqrt(tf.sum(tf.square(w), normAxes(w, axis), true));
      const desired = tf.clipByValue(norms, 0, max);
      return tf.mul(w, tf.div(desired, tf.add(norms, 1e-7)));
    });
}

/**
 * Clamps weights to be non-negative.
 *
 * @example
 * ```ts
 * new Dense({ units: 4, kernelConstraint: nonNeg() });
 * ```
 *
 * @group Regularizers and constraints
 */
export function nonNeg(): Constraint {
  return (w) => tf.relu(w);
}

/**
 * Rescales each unit's incoming weight vector to unit norm.
 *
 * @param axis - the axes the norm runs over; default all but the last.
 * @example
 * ```ts
 * new Dense({ units: 4, kernelConstraint: unitNorm() });
 * ```
 *
 * @group Regularizers and constraints
 */
export function unitNorm(axis?: number | number[]): Constraint {
  return (w) => tf.tidy(() => tf.div(w, tf.add(tf.sqrt(tf.sum(tf.square(w), normAxes(w, axis), true)), 1e-7)));
}

// Test helpers shared by the layer tests: finite-difference gradient checks and
// comparisons. Not exported from the package.
import { rng, tf } from '@tensorloom/core';
import type { Module } from '../module/module.js';

/** Tolerances of a numeric comparison: pass when |a - b| <= atol + rtol·|b|. */
export interface Tolerance {
  atol?: number;
  rtol?: number;
}

/** The worst element of a comparison, for readable assertion failures. */
export interface Mismatch {
  index: number;
  actual: number;
  expected: number;
}

/**
 * Compares two arrays elementwise; returns `null` when they agree within tolerance, else
 * the first element that does not, with a description.
 */
export function compareArrays(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  { atol = 1e-5, rtol = 1e-4 }: Tolerance = {},
): string | null {
  if (actual.length !== expected.length) return `length ${actual.length} != expected ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    if (Number.isNaN(a) !== Number.isNaN(b) || Math.abs(a - b) > atol + rtol * Math.abs(b)) {
      return `element ${i}: got ${a}, expected ${b} (atol ${atol}, rtol ${rtol})`;
    }
  }
  return null;
}

/** Compares two tensors' shapes and values. */
export function compareTensors(actual: tf.Tensor, expected: tf.Tensor | ArrayLike<number>, tol?: Tolerance): string | null {
  if (expected instanceof tf.Tensor) {
    if (actual.shape.join(',') !== expected.shape.join(',')) return `shape [${actual.shape}] != expected [${expected.shape}]`;
    return compareArrays(actual.dataSync(), expected.dataSync(), tol);
  }
  return compareArrays(actual.dataSync(), expected, tol);
}

/** Float64 dot product of a tensor's values with fixed weights: a scalar loss computed in JS. */
function project(out: tf.Tensor, weights: Float64Array): number {
  const v = out.dataSync();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * weights[i]!;
  return s;
}

/** Options of {@link checkModuleGradients} and {@link checkFunctionGradients}. */
export interface GradCheckOptions extends Tolerance {
  /** Finite-difference step. Default 1e-2 (float32 needs a large step). */
  eps?: number;
  /** Seed of the random projection that turns the output into a scalar loss. */
  seed?: number;
  /** Check at most this many elements of each tensor (spread evenly). Default all. */
  maxElements?: number;
}

/**
 * Checks the analytic gradient of `loss = Σ f(inputs) · R` (R fixed random) with respect to
 * each input against central finite differences. Returns `null` when they agree, else a
 * description of the first mismatch.
 */
export function checkFunctionGradients(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  options: GradCheckOptions = {},
): string | null {
  const { eps = 1e-2, atol = 2e-3, rtol = 2e-2, seed = 7, maxElements = Infinity } = options;
  const outShape = tf.tidy(() => f(...inputs).shape);
  const size = outShape.reduce((a, b) => a * b, 1);
  const r = rng(seed);
  const weights = new Float64Array(size).map(() => r.normal());
  const wTensor = tf.tensor(Float32Array.from(weights), outShape);
  try {
    const analytic = tf.tidy(() => tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), wTensor)))(inputs).map((g) => g.dataSync()));
    for (let k = 0; k < inputs.length; k++) {
      const x = inputs[k]!;
      const base = Float32Array.from(x.dataSync());
      const stride = Math.max(1, Math.floor(base.length / Math.min(base.length, maxElements)));
      for (let i = 0; i < base.length; i += stride) {
        const at = (delta: number): number =>
          tf.tidy(() => {
            const values = base.slice();
            values[i] = values[i]! + delta;
            const xs = inputs.slice();
            xs[k] = tf.tensor(values, x.shape, x.dtype);
            return project(f(...xs), weights);
          });
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        const a = analytic[k]![i]!;
        if (Math.abs(a - numeric) > atol + rtol * Math.abs(numeric)) {
          return `input ${k} element ${i}: analytic ${a}, numeric ${numeric}`;
        }
      }
    }
    return null;
  } finally {
    wTensor.dispose();
  }
}

/**
 * Checks a module's gradients with respect to its input and to every trainable parameter
 * against central finite differences (parameters are perturbed in place and restored).
 */
export function checkModuleGradients<I>(
  module: Module<I, tf.Tensor>,
  input: tf.Tensor,
  options: GradCheckOptions & { training?: boolean } = {},
): string | null {
  const { eps = 1e-2, atol = 2e-3, rtol = 2e-2, seed = 7, maxElements = Infinity, training = false } = options;
  const run = (x: tf.Tensor): tf.Tensor => module.apply(x as unknown as I, { training });
  const inputCheck = checkFunctionGradients(run, [input], options);
  if (inputCheck !== null) return `w.r.t. input: ${inputCheck}`;
  const params = module.trainableParameters();
  if (Object.keys(params).length === 0) return null;
  const outShape = tf.tidy(() => run(input).shape);
  const size = outShape.reduce((a, b) => a * b, 1);
  const r = rng(seed);
  const weights = new Float64Array(size).map(() => r.normal());
  const wTensor = tf.tensor(Float32Array.from(weights), outShape);
  try {
    const names = Object.keys(params);
    const vars = names.map((n) => params[n]!);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(run(input), wTensor)) as tf.Scalar, vars);
    value.dispose();
    try {
      for (const name of names) {
        const v = params[name]!;
        const g = grads[v.name]!.dataSync();
        const base = Float32Array.from(v.dataSync());
        const stride = Math.max(1, Math.floor(base.length / Math.min(base.length, maxElements)));
        try {
          for (let i = 0; i < base.length; i += stride) {
            const at = (delta: number): number => {
              const values = base.slice();
              values[i] = values[i]! + delta;
              tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
              return tf.tidy(() => project(run(input), weights));
            };
            const numeric = (at(eps) - at(-eps)) / (2 * eps);
            if (Math.abs(g[i]! - numeric) > atol + rtol * Math.abs(numeric)) {
              return `w.r.t. parameter '${name}' element ${i}: analytic ${g[i]}, numeric ${numeric}`;
            }
          }
        } finally {
          tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
        }
      }
      return null;
    } finally {
      tf.dispose(grads);
    }
  } finally {
    wTensor.dispose();
  }
}

/**
 * Replaces every parameter of a built module with normal values drawn in order from
 * `rng(seed)`: mean 1 for scales (names ending in `gamma`), 0 otherwise, standard deviation
 * `stddev`; so that parity and gradient checks do not hide behind initial ones and zeros.
 */
export function randomizeParameters(
  module: { parameters(): Record<string, tf.Variable>; loadState(values: Record<string, tf.Tensor>): void },
  seed: number,
  stddev = 0.5,
): void {
  const r = rng(seed);
  const values: Record<string, tf.Tensor> = {};
  for (const [name, v] of Object.entries(module.parameters())) values[name] = r.normalTensor(v.shape, name.endsWith('gamma') ? 1 : 0, stddev);
  module.loadState(values);
  tf.dispose(Object.values(values));
}

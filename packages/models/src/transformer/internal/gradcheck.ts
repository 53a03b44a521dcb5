// Central finite differences against tf.variableGrads for whole models, on a few sampled
// entries of every parameter. Used by the tests; not exported from the package.
import { rng as makeRng, tf } from '@tensorloom/core';

/** Options of {@link checkParameterGradients}. */
export interface GradcheckOptions {
  /** Entries sampled per parameter. Default 2. */
  samples?: number;
  /** The perturbation. Default 1e-2 (float32: larger steps would add curvature error, smaller ones rounding error). */
  eps?: number;
  /** Pass when |analytic − numeric| ≤ atol + rtol·|numeric|. Defaults 2e-3 and 3e-2. */
  atol?: number;
  rtol?: number;
  /** Seed of the sampled entries. Default 0. */
  seed?: number;
}

/**
 * Compares the gradient of `loss` with respect to each parameter with central differences at
 * sampled entries; returns one line per disagreement (empty when all agree). `loss` must be
 * deterministic (no dropout).
 */
export function checkParameterGradients(loss: () => tf.Scalar, params: Record<string, tf.Variable>, options: GradcheckOptions = {}): string[] {
  const { samples = 2, eps = 1e-2, atol = 2e-3, rtol = 3e-2, seed = 0 } = options;
  const r = makeRng(seed);
  const names = Object.keys(params);
  const vars = names.map((n) => params[n]!);
  const { value, grads } = tf.variableGrads(loss, vars);
  value.dispose();
  const evaluate = (): number => tf.tidy(() => loss().dataSync()[0]!);
  const failures: string[] = [];
  names.forEach((name, k) => {
    const v = vars[k]!;
    const g = grads[v.name];
    const analytic = g === undefined ? new Float32Array(v.size) : (g.dataSync() as Float32Array);
    const original = v.dataSync().slice() as Float32Array;
    for (let s = 0; s < Math.min(samples, v.size); s++) {
      const i = r.int(v.size);
      const at = (delta: number): number => {
        const values = original.slice();
        values[i] = original[i]! + delta;
        const t = tf.tensor(values, v.shape);
        v.assign(t);
        t.dispose();
        return evaluate();
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      const restored = tf.tensor(original, v.shape);
      v.assign(restored);
      restored.dispose();
      if (!(Math.abs(analytic[i]! - numeric) <= atol + rtol * Math.abs(numeric))) {
        failures.push(`${name}[${i}]: analytic ${analytic[i]}, numeric ${numeric}`);
      }
    }
  });
  tf.dispose(Object.values(grads));
  return failures;
}

/**
 * Overwrites every parameter with normal(0, stddev) draws, so that small initial weights (a
 * 0.02-scale embedding feeding a layer norm) do not make a fixed finite-difference step
 * large against the values it perturbs.
 */
export function randomizeParameters(params: Record<string, tf.Variable>, seed: number, stddev = 0.5): void {
  const r = makeRng(seed);
  for (const v of Object.values(params)) {
    const t = r.normalTensor(v.shape, 0, stddev);
    v.assign(t);
    t.dispose();
  }
}

/** `Σ y ⊙ W` for a fixed random `W` of `y`'s shape: a scalar whose gradient reaches every output. */
export function projectedSum(y: tf.Tensor, seed = 1): tf.Scalar {
  return tf.tidy(() => {
    const w = makeRng(seed).normalTensor(y.shape);
    return tf.sum(tf.mul(y, w)) as tf.Scalar;
  });
}

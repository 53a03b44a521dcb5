import { ConfigError } from '@tensorloom/core';
import type { NumericInput } from '../metric.js';
import { readWeights } from './checks.js';
import { rowsAreDistributions, shapeForm } from './decode.js';
import { sizeOf, readPredictions, toDense } from './input.js';

/** Probabilities read from a batch, with their logs computed stably. */
export type ProbabilityBatch =
  | {
      kind: 'binary';
      /** Target per element, in [0, 1] (0/1 labels, or soft targets). */
      targets: Float64Array;
      /** Probability of class 1 per element. */
      probs: Float64Array;
      logP: Float64Array;
      log1mP: Float64Array;
      weights: Float64Array;
    }
  | {
      kind: 'multiclass';
      K: number;
      /** Class id per sample (sparse), or null when `dist` holds target distributions. */
      ids: Int32Array | null;
      /** Target distributions, n×K (one-hot or soft), when not sparse. */
      dist: Float64Array | null;
      probs: Float64Array;
      logProbs: Float64Array;
      weights: Float64Array;
    };

export interface ProbabilityConfig {
  fromLogits: boolean;
  /** Probabilities are clipped to [eps, 1 − eps] before logs (not used with logits). */
  eps: number;
  ignoreIndex: number | null;
  task: 'auto' | 'binary' | 'multiclass';
}

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/**
 * Reads targets and predicted probabilities (or logits). Binary: same shapes, one
 * probability of class 1 per element. Multiclass: class ids `S` with `[...S, K]`, or target
 * distributions (one-hot) of yPred's shape `[..., K]`.
 */
export function readProbabilities(
  unit: string,
  yTrue: NumericInput,
  yPred: NumericInput,
  sampleWeight: NumericInput | undefined,
  config: ProbabilityConfig,
): ProbabilityBatch {
  const t = toDense(unit, 'yTrue', yTrue);
  const p = readPredictions(unit, yPred);
  const form = shapeForm(unit, t.shape, p.shape);
  const K = form.classes;
  let multiclass: boolean;
  if (form.form === 'sparse') multiclass = true;
  else if (config.task === 'binary' || K < 2 || p.shape.length < 2) multiclass = false;
  else multiclass = config.task === 'multiclass' || rowsAreDistributions(t.values, K);
  if (config.task === 'binary' && form.form === 'sparse') {
    throw new ConfigError(`${unit}: yPred expected the shape of yTrue for task 'binary', got a class axis of ${K}`);
  }
  const eps = config.eps;
  const checkProb = (v: number): void => {
    if (!(v >= 0 && v <= 1)) {
      throw new ConfigError(`${unit}: yPred expected probabilities in [0, 1], got ${v}`, {
        help: 'pass fromLogits: true for logits',
      });
    }
  };
  const checkTarget = (v: number): void => {
    if (!(v >= 0 && v <= 1)) throw new ConfigError(`${unit}: yTrue expected targets in [0, 1], got ${v}`);
  };

  if (!multiclass) {
    const n = sizeOf(form.sampleShape);
    const w = readWeights(unit, sampleWeight, form.sampleShape);
    const out = {
      targets: new Float64Array(n),
      probs: new Float64Array(n),
      logP: new Float64Array(n),
      log1mP: new Float64Array(n),
      weights: new Float64Array(n),
    };
    let k = 0;
    for (let i = 0; i < n; i++) {
      const y = t.values[i];
      if (config.ignoreIndex !== null && y === config.ignoreIndex) continue;
      checkTarget(y);
      const v = p.values[i];
      if (config.fromLogits) {
        out.probs[k] = 1 / (1 + Math.exp(-v));
        out.logP[k] = -softplus(-v);
        out.log1mP[k] = -softplus(v);
      } else {
        checkProb(v);
        const c = Math.min(Math.max(v, eps), 1 - eps);
        out.probs[k] = v;
        out.logP[k] = Math.log(c);
        out.log1mP[k] = Math.log(1 - c);
      }
      out.targets[k] = y;
      out.weights[k] = w === null ? 1 : w[i];
      k++;
    }
    return {
      kind: 'binary',
      targets: out.targets.subarray(0, k),
      probs: out.probs.subarray(0, k),
      logP: out.logP.subarray(0, k),
      log1mP: out.log1mP.subarray(0, k),
      weights: out.weights.subarray(0, k),
    };
  }

  const sparse = form.form === 'sparse';
  const sampleShape = sparse ? form.sampleShape : t.shape.slice(0, -1);
  const n = sizeOf(sampleShape);
  const w = readWeights(unit, sampleWeight, sampleShape);
  const ids = sparse ? new Int32Array(n) : null;
  const dist = sparse ? null : new Float64Array(n * K);
  const probs = new Float64Array(n * K);
  const logProbs = new Float64Array(n * K);
  const weights = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (sparse) {
      const y = t.values[i];
      if (config.ignoreIndex !== null && y === config.ignoreIndex) continue;
      if (!Number.isInteger(y) || y < 0 || y >= K) {
        throw new ConfigError(`${unit}: yTrue expected integer class ids in [0, ${K}) (yPred has ${K} classes), got ${y}`);
      }
      ids![k] = y;
    } else {
      for (let c = 0; c < K; c++) {
        const y = t.values[i * K + c];
        checkTarget(y);
        dist![k * K + c] = y;
      }
    }
    if (config.fromLogits) {
      let max = -Infinity;
      for (let c = 0; c < K; c++) max = Math.max(max, p.values[i * K + c]);
      let sum = 0;
      for (let c = 0; c < K; c++) sum += Math.exp(p.values[i * K + c] - max);
      const lse = max + Math.log(sum);
      for (let c = 0; c < K; c++) {
        logProbs[k * K + c] = p.values[i * K + c] - lse;
        probs[k * K + c] = Math.exp(logProbs[k * K + c]);
      }
    } else {
      for (let c = 0; c < K; c++) {
        const v = p.values[i * K + c];
        checkProb(v);
        probs[k * K + c] = v;
        logProbs[k * K + c] = Math.log(Math.min(Math.max(v, eps), 1 - eps));
      }
    }
    weights[k] = w === null ? 1 : w[i];
    k++;
  }
  return {
    kind: 'multiclass',
    K,
    ids: ids === null ? null : ids.subarray(0, k),
    dist: dist === null ? null : dist.subarray(0, k * K),
    probs: probs.subarray(0, k * K),
    logProbs: logProbs.subarray(0, k * K),
    weights: weights.subarray(0, k),
  };
}

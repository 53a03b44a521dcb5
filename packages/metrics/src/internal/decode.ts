import { ConfigError, ShapeError, formatShape } from '@tensorloom/core';
import type { NumericInput } from '../metric.js';
import { readWeights } from './checks.js';
import { allIntegers, isPrefix, sameShape, sizeOf, squeezeTrailing, readPredictions, toDense } from './input.js';

/**
 * How predictions become class labels.
 * - `binary`: yPred and yTrue have the same shape; `yPred > threshold` is class 1.
 * - `sparse`: yPred has a trailing class axis; argmax over it; yTrue holds class ids.
 * - `categorical`: same shapes with a class axis; argmax of both.
 * - `labels`: same shapes, both hold class ids.
 * - `sparseOrLabels`: sparse when yPred has a class axis, labels otherwise.
 * - `auto`: see {@link decodeClassification}.
 * - `multiclass`: `auto` without the binary (thresholded) reading.
 */
export type DecodeMode = 'auto' | 'multiclass' | 'binary' | 'sparse' | 'categorical' | 'labels' | 'sparseOrLabels';

export interface DecodeConfig {
  mode: DecodeMode;
  /** Binary decision threshold: `yPred > threshold` is the positive class. */
  threshold: number;
  /**
   * For `labels`: class ids must lie in [0, labelRange); null accepts any value (accuracy).
   * In `auto`, a non-null value other than 2 forbids the binary (thresholded) reading.
   */
  labelRange: number | null;
  /** Targets equal to this are skipped (padding, void pixels). */
  ignoreIndex: number | null;
  /** A `help:` line for the binary-label error, e.g. pointing at `numClasses`. */
  binaryHelp?: string;
}

export interface Decoded {
  kind: 'binary' | 'sparse' | 'categorical' | 'labels';
  trueLabels: Int32Array;
  predLabels: Int32Array;
  /** One weight per kept sample, or null for unit weights. */
  weights: Float64Array | null;
  /** The number of classes the input implies (class-axis size, 2 for binary), or null. */
  classes: number | null;
}

/** How the shapes of yTrue and yPred relate. */
export interface ShapeForm {
  form: 'sparse' | 'same';
  /** The shape of one label per sample (yTrue with a trailing 1 squeezed for sparse). */
  sampleShape: number[];
  /** The class-axis size for sparse; the last axis of the (unsqueezed) yPred for same. */
  classes: number;
}

/** Relates the shapes: yPred either has one more (class) axis than yTrue, or the same shape. */
export function shapeForm(unit: string, t: readonly number[], p: readonly number[]): ShapeForm {
  const last = p.length > 0 ? p[p.length - 1] : 1;
  if (p.length === t.length + 1 && isPrefix(t, p) && last > 1) {
    return { form: 'sparse', sampleShape: t.slice(), classes: last };
  }
  if (p.length === t.length && t.length > 0 && t[t.length - 1] === 1 && last > 1 && isPrefix(t.slice(0, -1), p)) {
    return { form: 'sparse', sampleShape: t.slice(0, -1), classes: last };
  }
  if (sameShape(t, p)) return { form: 'same', sampleShape: t.slice(), classes: last };
  const ts = squeezeTrailing(t);
  if (sameShape(ts, squeezeTrailing(p))) return { form: 'same', sampleShape: ts, classes: 1 };
  throw new ShapeError(
    `${unit}: yPred expected shape ${formatShape(t)} or ${withClassAxis(t)} to match yTrue, got ${formatShape(p)}`,
  );
}

/** True when every row of the last axis is a probability distribution (one-hot included). */
export function rowsAreDistributions(values: ArrayLike<number>, rowLen: number): boolean {
  const rows = values.length / rowLen;
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let c = 0; c < rowLen; c++) {
      const v = values[r * rowLen + c];
      if (!(v >= 0 && v <= 1)) return false;
      sum += v;
    }
    if (Math.abs(sum - 1) > 1e-5) return false;
  }
  return true;
}

/** Index of the first maximum of `values[offset .. offset + len)`; NaN never wins. */
export function argmax(values: ArrayLike<number>, offset: number, len: number): number {
  let best = 0;
  let bestValue = -Infinity;
  for (let c = 0; c < len; c++) {
    const v = values[offset + c];
    if (v > bestValue) {
      bestValue = v;
      best = c;
    }
  }
  return best;
}

function labelError(unit: string, arg: string, expected: string, got: number, help?: string): ConfigError {
  return new ConfigError(`${unit}: ${arg} expected ${expected}, got ${got}`, help === undefined ? {} : { help });
}

/**
 * Turns a batch of (yTrue, yPred) into class labels, one per sample, dropping ignored
 * targets. In `auto` mode the reading is chosen per batch:
 * 1. yPred has one more axis than yTrue (or yTrue ends in an axis of 1 and yPred in one > 1):
 *    sparse class ids against class scores, argmax over yPred's last axis;
 * 2. otherwise the shapes must be equal (trailing axes of 1 ignored), and
 *    a. rank >= 2, last axis > 1 and every row of yTrue is a distribution (one-hot):
 *       categorical, argmax of both;
 *    b. every yPred value is an integer: class ids compared as they are;
 *    c. otherwise yPred holds probabilities: `yPred > threshold` against binary yTrue.
 */
export function decodeClassification(
  unit: string,
  yTrueIn: NumericInput,
  yPredIn: NumericInput,
  sampleWeight: NumericInput | undefined,
  config: DecodeConfig,
): Decoded {
  const t = toDense(unit, 'yTrue', yTrueIn);
  const p = readPredictions(unit, yPredIn);
  const form = shapeForm(unit, t.shape, p.shape);
  let kind: Decoded['kind'];
  const mode = config.mode;
  if (mode === 'sparse') {
    if (form.form !== 'sparse') {
      throw new ShapeError(
        `${unit}: yPred expected shape ${withClassAxis(t.shape)} (class scores for each label in yTrue), got ${formatShape(p.shape)}`,
      );
    }
    kind = 'sparse';
  } else if (mode === 'categorical') {
    if (form.form !== 'same' || p.shape.length === 0 || p.shape[p.shape.length - 1] < 2) {
      throw new ShapeError(
        `${unit}: yTrue and yPred expected the same shape [..., numClasses] with numClasses > 1, got ${formatShape(t.shape)} and ${formatShape(p.shape)}`,
      );
    }
    kind = 'categorical';
  } else if (mode === 'binary' || mode === 'labels') {
    if (form.form !== 'same') {
      throw new ShapeError(
        `${unit}: yPred expected the shape of yTrue ${formatShape(t.shape)}, got ${formatShape(p.shape)}`,
      );
    }
    kind = mode;
  } else if (form.form === 'sparse') {
    kind = 'sparse';
  } else if (mode === 'sparseOrLabels') {
    kind = 'labels';
  } else if (p.shape.length >= 2 && form.classes > 1 && rowsAreDistributions(t.values, form.classes)) {
    kind = 'categorical';
  } else if (allIntegers(p.values)) {
    kind = 'labels';
  } else {
    if (mode === 'multiclass' || (config.labelRange !== null && config.labelRange !== 2)) {
      const bad = firstNonInteger(p.values);
      const why = mode === 'multiclass' ? "task is 'multiclass'" : `numClasses is ${config.labelRange}`;
      throw new ConfigError(
        `${unit}: yPred expected integer class ids (${why}), got ${bad}`,
        { help: 'pass class scores with a trailing class axis, or integer class ids' },
      );
    }
    kind = 'binary';
  }

  const sampleShape = kind === 'categorical' ? t.shape.slice(0, -1) : form.sampleShape;
  const n = sizeOf(sampleShape);
  const weightsAll = readWeights(unit, sampleWeight, sampleShape);
  const trueLabels = new Int32Array(n);
  const predLabels = new Int32Array(n);
  const weights = weightsAll === null ? null : new Float64Array(n);
  const ignore = config.ignoreIndex;
  let classes: number | null;
  let k = 0;
  if (kind === 'sparse' || kind === 'categorical') {
    const K = form.classes;
    classes = K;
    for (let i = 0; i < n; i++) {
      let y: number;
      if (kind === 'sparse') {
        y = t.values[i];
        if (ignore !== null && y === ignore) continue;
        if (!Number.isInteger(y) || y < 0 || y >= K) {
          throw labelError(unit, 'yTrue', `integer class ids in [0, ${K}) (yPred has ${K} classes)`, y);
        }
      } else {
        y = argmax(t.values, i * K, K);
      }
      trueLabels[k] = y;
      predLabels[k] = argmax(p.values, i * K, K);
      if (weights !== null) weights[k] = weightsAll![i];
      k++;
    }
  } else if (kind === 'binary') {
    classes = 2;
    for (let i = 0; i < n; i++) {
      const y = t.values[i];
      if (ignore !== null && y === ignore) continue;
      if (y !== 0 && y !== 1) throw labelError(unit, 'yTrue', 'binary labels 0 or 1', y, config.binaryHelp);
      trueLabels[k] = y;
      predLabels[k] = p.values[i] > config.threshold ? 1 : 0;
      if (weights !== null) weights[k] = weightsAll![i];
      k++;
    }
  } else {
    const K = config.labelRange;
    classes = K;
    for (let i = 0; i < n; i++) {
      const y = t.values[i];
      if (ignore !== null && y === ignore) continue;
      const q = p.values[i];
      if (K !== null) {
        checkLabel(unit, 'yTrue', y, K, config.binaryHelp);
        checkLabel(unit, 'yPred', q, K, config.binaryHelp);
      } else if (!Number.isInteger(y)) {
        throw labelError(unit, 'yTrue', 'integer class ids (yPred holds class ids)', y);
      }
      trueLabels[k] = y;
      predLabels[k] = q;
      if (weights !== null) weights[k] = weightsAll![i];
      k++;
    }
  }
  return {
    kind,
    trueLabels: trueLabels.subarray(0, k),
    predLabels: predLabels.subarray(0, k),
    weights: weights === null ? null : weights.subarray(0, k),
    classes,
  };
}

function checkLabel(unit: string, arg: string, y: number, K: number, binaryHelp?: string): void {
  if (Number.isInteger(y) && y >= 0 && y < K) return;
  if (K === 2 && binaryHelp !== undefined) throw labelError(unit, arg, 'binary labels 0 or 1', y, binaryHelp);
  throw labelError(unit, arg, `integer class ids in [0, ${K})`, y);
}

function firstNonInteger(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i])) return values[i];
  return NaN;
}

/** `[4, numClasses]`: a shape with a symbolic class axis, for messages. */
export function withClassAxis(shape: readonly number[]): string {
  return `[${[...shape.map(String), 'numClasses'].join(', ')}]`;
}

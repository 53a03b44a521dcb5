import { ConfigError, ShapeError, finiteNumber, intInRange, oneOf } from '@tensorloom/core';
import type { NumericInput } from '../metric.js';
import type { ClassificationOptions } from '../classification/types.js';
import { BaseMetric } from './base.js';
import { checkZeroDivision } from './checks.js';
import type { DecodeConfig } from './decode.js';
import { decodeClassification } from './decode.js';

/**
 * A weighted K×K confusion matrix (rows: true class, columns: predicted class) in a
 * Float64Array, allocated once K is known.
 */
export class ConfusionCounts {
  matrix: Float64Array | null = null;
  classes: number | null;

  constructor(
    private readonly unit: string,
    private readonly fixed: number | null,
  ) {
    this.classes = fixed;
    if (fixed !== null) this.matrix = new Float64Array(fixed * fixed);
  }

  /** Fixes K on first use and checks it stays the same. */
  ensure(K: number): void {
    if (this.classes === null) {
      this.classes = K;
      this.matrix = new Float64Array(K * K);
    } else if (this.classes !== K) {
      const source = this.fixed !== null ? 'numClasses' : 'earlier batches';
      throw new ShapeError(`${this.unit}: yPred expected ${this.classes} classes (${source}), got ${K}`);
    }
  }

  add(trueLabels: Int32Array, predLabels: Int32Array, weights: Float64Array | null): void {
    const K = this.classes!;
    const m = this.matrix!;
    for (let i = 0; i < trueLabels.length; i++) {
      m[trueLabels[i] * K + predLabels[i]] += weights === null ? 1 : weights[i];
    }
  }

  merge(other: ConfusionCounts): void {
    if (other.classes === null) return;
    if (this.classes !== null && this.classes !== other.classes) {
      throw new ShapeError(`${this.unit}: other expected ${this.classes} classes, got ${other.classes}`);
    }
    this.ensure(other.classes);
    const m = this.matrix!;
    const o = other.matrix!;
    for (let i = 0; i < m.length; i++) m[i] += o[i];
  }

  reset(): void {
    this.classes = this.fixed;
    this.matrix = this.fixed === null ? null : new Float64Array(this.fixed * this.fixed);
  }

  /** The matrix as rows of numbers (empty when K is unknown). */
  rows(): number[][] {
    const K = this.classes ?? 0;
    return Array.from({ length: K }, (_, i) => Array.from(this.matrix!.subarray(i * K, (i + 1) * K)));
  }
}

/** Per-class counts read from a confusion matrix. */
export interface ClassCounts {
  tp: Float64Array;
  fp: Float64Array;
  fn: Float64Array;
  tn: Float64Array;
  /** Weighted number of samples whose true class is k (tp + fn). */
  support: Float64Array;
  total: number;
}

/** tp, fp, fn, tn per class (one-vs-rest) of a K×K matrix. */
export function classCounts(matrix: Float64Array, K: number): ClassCounts {
  const tp = new Float64Array(K);
  const rowSum = new Float64Array(K);
  const colSum = new Float64Array(K);
  let total = 0;
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      const v = matrix[i * K + j];
      rowSum[i] += v;
      colSum[j] += v;
      total += v;
    }
    tp[i] = matrix[i * K + i];
  }
  const fp = new Float64Array(K);
  const fn = new Float64Array(K);
  const tn = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    fp[k] = colSum[k] - tp[k];
    fn[k] = rowSum[k] - tp[k];
    tn[k] = total - tp[k] - fp[k] - fn[k];
  }
  return { tp, fp, fn, tn, support: rowSum, total };
}

/**
 * The mean of `values` weighted by `weights`, skipping NaN entries (scikit-learn's
 * `_nanaverage`); `fallback` when nothing is left.
 */
export function nanAverage(values: ArrayLike<number>, weights: ArrayLike<number> | null, fallback: number): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const w = weights === null ? 1 : weights[i];
    if (Number.isNaN(v) || w === 0) continue;
    num += w * v;
    den += w;
  }
  return den === 0 ? fallback : num / den;
}

/**
 * The base of the metrics that keep a confusion matrix: reads batches into it; subclasses
 * turn it into their value.
 */
export abstract class ConfusionMetric<R, O extends ClassificationOptions = ClassificationOptions> extends BaseMetric<
  R,
  NumericInput,
  NumericInput,
  O
> {
  protected readonly counts: ConfusionCounts;
  protected readonly zeroDivision: number;
  private readonly decode: DecodeConfig;
  private readonly task: 'auto' | 'binary' | 'multiclass';

  constructor(kind: string, defaultName: string, options: O, zeroDivisionDefault: number) {
    super(kind, defaultName, options);
    const unit = this.unit;
    const numClasses = options.numClasses === undefined ? null : intInRange(unit, 'numClasses', options.numClasses, 2);
    this.task = options.task === undefined ? 'auto' : oneOf<'auto' | 'binary' | 'multiclass'>(unit, 'task', options.task, ['auto', 'binary', 'multiclass']);
    if (this.task === 'binary' && numClasses !== null && numClasses !== 2) {
      throw new ConfigError(`${unit}: numClasses expected 2 for task 'binary', got ${numClasses}`);
    }
    const threshold = options.threshold === undefined ? 0.5 : finiteNumber(unit, 'threshold', options.threshold);
    const ignoreIndex = options.ignoreIndex === undefined ? null : finiteNumber(unit, 'ignoreIndex', options.ignoreIndex);
    this.zeroDivision = checkZeroDivision(unit, options.zeroDivision, zeroDivisionDefault);
    this.counts = new ConfusionCounts(unit, this.task === 'binary' ? 2 : numClasses);
    this.decode = {
      mode: this.task === 'binary' ? 'binary' : this.task === 'multiclass' ? 'multiclass' : 'auto',
      threshold,
      labelRange: numClasses ?? 2,
      ignoreIndex,
      binaryHelp: 'for multiclass class ids pass numClasses, or pass class scores with a class axis',
    };
  }

  update(yTrue: NumericInput, yPred: NumericInput, sampleWeight?: NumericInput): void {
    const d = decodeClassification(this.unit, yTrue, yPred, sampleWeight, this.decode);
    if (d.classes !== null) {
      this.counts.ensure(d.classes);
      this.checkClasses(d.classes);
    }
    if (d.trueLabels.length > 0) this.counts.add(d.trueLabels, d.predLabels, d.weights);
  }

  /** Hook for subclasses that constrain K (e.g. average 'binary' needs 2). */
  protected checkClasses(_K: number): void {}

  reset(): void {
    this.counts.reset();
  }

  protected config(): Record<string, unknown> {
    const { mode, threshold, labelRange, ignoreIndex } = this.decode;
    return { task: this.task, mode, threshold, labelRange, ignoreIndex, zeroDivision: this.zeroDivision };
  }

  protected mergeState(other: this): void {
    this.counts.merge(other.counts);
  }
}

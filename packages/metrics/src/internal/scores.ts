import { ConfigError, ShapeError, finiteNumber, formatShape, intInRange, oneOf } from '@tensorloom/core';
import type { CurveOptions } from '../classification/types.js';
import type { NumericInput } from '../metric.js';
import { BaseMetric } from './base.js';
import { checkZeroDivision, readWeights } from './checks.js';
import { nanAverage } from './confusion.js';
import type { ClfCurve } from './curves.js';
import { binaryClfCurve } from './curves.js';
import { shapeForm } from './decode.js';
import { sizeOf, readPredictions, toDense } from './input.js';
import { GrowableFloat64, GrowableUint8 } from './growable.js';

/**
 * Every (score, 0/1 label, weight) seen so far, K columns per sample: K = 1 for binary
 * input, K classes (one-vs-rest) for class scores or multi-label input. Exact; memory is
 * 9·K + 8 bytes per sample (float64 scores, uint8 labels, a float64 weight).
 */
export class ScoreStore {
  readonly scores = new GrowableFloat64();
  readonly labels = new GrowableUint8();
  readonly weights = new GrowableFloat64();
  columns: number | null;

  constructor(private readonly unit: string) {
    this.columns = null;
  }

  get count(): number {
    return this.weights.length;
  }

  ensure(K: number, arg: string): void {
    if (this.columns === null) this.columns = K;
    else if (this.columns !== K) {
      throw new ShapeError(`${this.unit}: ${arg} expected ${this.columns} classes (earlier batches), got ${K}`);
    }
  }

  merge(other: ScoreStore): void {
    if (other.columns === null) return;
    if (this.columns !== null && this.columns !== other.columns) {
      throw new ShapeError(`${this.unit}: other expected ${this.columns} classes, got ${other.columns}`);
    }
    this.columns = other.columns;
    this.scores.append(other.scores.view());
    this.labels.append(other.labels.view());
    this.weights.append(other.weights.view());
  }

  clear(): void {
    this.scores.clear();
    this.labels.clear();
    this.weights.clear();
    this.columns = null;
  }

  /** The curve of column k (one-vs-rest). */
  curve(k: number): ClfCurve {
    const K = this.columns!;
    const n = this.count;
    const s = this.scores.view();
    const l = this.labels.view();
    const scores = new Float64Array(n);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      scores[i] = s[i * K + k];
      labels[i] = l[i * K + k];
    }
    return binaryClfCurve(scores, labels, this.weights.view());
  }

  /** All columns flattened into one binary problem (micro average). */
  microCurve(): ClfCurve {
    const K = this.columns!;
    const w = this.weights.view();
    const weights = new Float64Array(this.count * K);
    for (let i = 0; i < weights.length; i++) weights[i] = w[Math.floor(i / K)];
    return binaryClfCurve(this.scores.view(), this.labels.view(), weights);
  }
}

/** The resolved options of a score metric. */
export interface ScoreConfig {
  numClasses: number | null;
  ignoreIndex: number | null;
  average: 'macro' | 'weighted' | 'micro';
  zeroDivision: number;
}

/**
 * The base of the metrics that keep every score (ROC, precision–recall): reads batches
 * into a {@link ScoreStore}; subclasses compute their curves from it.
 */
export abstract class ScoreMetric<R, O extends CurveOptions = CurveOptions> extends BaseMetric<R, NumericInput, NumericInput, O> {
  protected readonly store: ScoreStore;
  protected readonly cfg: ScoreConfig;

  constructor(kind: string, defaultName: string, options: O, zeroDivisionDefault: number) {
    super(kind, defaultName, options);
    const unit = this.unit;
    this.cfg = {
      numClasses: options.numClasses === undefined ? null : intInRange(unit, 'numClasses', options.numClasses, 2),
      ignoreIndex: options.ignoreIndex === undefined ? null : finiteNumber(unit, 'ignoreIndex', options.ignoreIndex),
      average:
        options.average === undefined
          ? 'macro'
          : oneOf<'macro' | 'weighted' | 'micro'>(unit, 'average', options.average, ['macro', 'weighted', 'micro']),
      zeroDivision: checkZeroDivision(unit, options.zeroDivision, zeroDivisionDefault),
    };
    this.store = new ScoreStore(unit);
  }

  update(yTrue: NumericInput, yPred: NumericInput, sampleWeight?: NumericInput): void {
    const unit = this.unit;
    const t = toDense(unit, 'yTrue', yTrue);
    const p = readPredictions(unit, yPred);
    if (t.values.length === 0 && p.values.length === 0) return;
    const form = shapeForm(unit, t.shape, p.shape);
    // sparse ids vs class scores → one-hot columns; same shape with a class axis → one column
    // per class (one-hot or multi-label targets); otherwise one binary column.
    const sparse = form.form === 'sparse';
    const K = sparse || (p.shape.length >= 2 && form.classes > 1) ? form.classes : 1;
    if (this.cfg.numClasses !== null && K !== this.cfg.numClasses) {
      const got = K === 1 ? `binary scores of shape ${formatShape(p.shape)}` : `${K}`;
      throw new ShapeError(`${unit}: yPred expected ${this.cfg.numClasses} classes (numClasses), got ${got}`);
    }
    this.store.ensure(K, 'yPred');
    const sampleShape = sparse ? form.sampleShape : K === 1 ? form.sampleShape : t.shape.slice(0, -1);
    const n = sizeOf(sampleShape);
    const w = readWeights(unit, sampleWeight, sampleShape);
    const scores = new Float64Array(n * K);
    const labels = new Uint8Array(n * K);
    const weights = new Float64Array(n);
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const weight = w === null ? 1 : w[i];
      if (sparse && this.cfg.ignoreIndex !== null && t.values[i] === this.cfg.ignoreIndex) continue;
      if (!sparse && K === 1 && this.cfg.ignoreIndex !== null && t.values[i] === this.cfg.ignoreIndex) continue;
      if (weight === 0) continue; // zero-weight samples do not move any threshold (as scikit-learn)
      for (let k = 0; k < K; k++) {
        scores[kept * K + k] = p.values[i * K + k]; // finite: readPredictions checked
      }
      if (sparse) {
        const y = t.values[i];
        if (!Number.isInteger(y) || y < 0 || y >= K) {
          throw new ConfigError(`${unit}: yTrue expected integer class ids in [0, ${K}) (yPred has ${K} classes), got ${y}`);
        }
        labels[kept * K + y] = 1;
      } else {
        for (let k = 0; k < K; k++) {
          const y = t.values[i * K + k];
          if (y !== 0 && y !== 1) throw new ConfigError(`${unit}: yTrue expected binary labels 0 or 1, got ${y}`);
          labels[kept * K + k] = y;
        }
      }
      weights[kept] = weight;
      kept++;
    }
    this.store.scores.append(scores.subarray(0, kept * K));
    this.store.labels.append(labels.subarray(0, kept * K));
    this.store.weights.append(weights.subarray(0, kept));
  }

  reset(): void {
    this.store.clear();
  }

  protected config(): Record<string, unknown> {
    return { ...this.cfg };
  }

  protected mergeState(other: this): void {
    this.store.merge(other.store);
  }

  /** Weighted positives of column k (for the 'weighted' average). */
  protected positives(k: number): number {
    const K = this.store.columns!;
    const l = this.store.labels.view();
    const w = this.store.weights.view();
    let sum = 0;
    for (let i = 0; i < this.store.count; i++) if (l[i * K + k] === 1) sum += w[i];
    return sum;
  }

  /**
   * Combines per-column values (NaN = undefined → zeroDivision) into one number by
   * `average`; `micro` is computed by the caller.
   */
  protected combine(values: number[]): number {
    if (values.length === 1) return values[0];
    const zd = values.map((v) => (Number.isNaN(v) ? this.cfg.zeroDivision : v));
    const weights = this.cfg.average === 'weighted' ? values.map((_, k) => this.positives(k)) : null;
    return nanAverage(zd, weights, this.cfg.zeroDivision);
  }
}

/** Reads the `classNames` option of a curve metric: an array of strings, or null when not given. */
export function checkClassNames(unit: string, classNames: unknown): string[] | null {
  if (classNames !== undefined && (!Array.isArray(classNames) || classNames.some((c) => typeof c !== 'string'))) {
    throw new ConfigError(`${unit}: classNames expected an array of strings, got ${JSON.stringify(classNames)}`);
  }
  return (classNames as string[] | undefined) ?? null;
}

/**
 * The label of each of K curves: the given `classNames` (there must be K), else `class k`,
 * or `class 1` for the one curve of binary input.
 */
export function curveLabels(unit: string, classNames: string[] | null, K: number): string[] {
  if (classNames !== null && classNames.length !== K) {
    throw new ConfigError(`${unit}: classNames expected ${K} names (one per curve), got ${classNames.length}`);
  }
  return Array.from({ length: K }, (_, k) => classNames?.[k] ?? `class ${K === 1 ? 1 : k}`);
}

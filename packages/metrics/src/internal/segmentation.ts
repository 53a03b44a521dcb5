import { ConfigError, ShapeError, finiteNumber, intInRange } from '@tensorloom/core';
import type { SegmentationOptions } from '../segmentation/types.js';
import type { NumericInput } from '../metric.js';
import { BaseMetric } from './base.js';
import { checkZeroDivision } from './checks.js';
import { ConfusionCounts, classCounts } from './confusion.js';
import type { ClassCounts } from './confusion.js';
import { decodeClassification } from './decode.js';

/**
 * The base of the segmentation metrics: a K×K confusion matrix over pixels, read from label
 * maps or per-pixel class scores, with an ignore index.
 */
export abstract class SegmentationMetric<R> extends BaseMetric<R, NumericInput, NumericInput, SegmentationOptions> {
  protected readonly counts: ConfusionCounts;
  protected readonly zeroDivision: number;
  private readonly numClasses: number | null;
  private readonly ignoreIndex: number | null;

  constructor(kind: string, defaultName: string, options: SegmentationOptions, zeroDivisionDefault: number) {
    super(kind, defaultName, options);
    this.numClasses = options.numClasses === undefined ? null : intInRange(this.unit, 'numClasses', options.numClasses, 1);
    this.ignoreIndex = options.ignoreIndex === undefined ? null : finiteNumber(this.unit, 'ignoreIndex', options.ignoreIndex);
    this.zeroDivision = checkZeroDivision(this.unit, options.zeroDivision, zeroDivisionDefault);
    this.counts = new ConfusionCounts(this.unit, this.numClasses);
  }

  update(yTrue: NumericInput, yPred: NumericInput, sampleWeight?: NumericInput): void {
    const d = decodeClassification(this.unit, yTrue, yPred, sampleWeight, {
      mode: 'sparseOrLabels',
      threshold: 0.5,
      labelRange: this.numClasses,
      ignoreIndex: this.ignoreIndex,
    });
    if (d.classes === null) {
      throw new ConfigError(`${this.unit}: numClasses expected when yPred is a label map, got undefined`, {
        help: 'pass numClasses, or per-pixel class scores with a trailing class axis',
      });
    }
    if (this.numClasses !== null && d.classes !== this.numClasses) {
      throw new ShapeError(`${this.unit}: yPred expected ${this.numClasses} classes (numClasses), got ${d.classes}`);
    }
    this.counts.ensure(d.classes);
    if (d.trueLabels.length > 0) this.counts.add(d.trueLabels, d.predLabels, d.weights);
  }

  /** One-vs-rest counts per class, or null before K is known. */
  protected perClassCounts(): ClassCounts | null {
    const K = this.counts.classes;
    return K === null ? null : classCounts(this.counts.matrix!, K);
  }

  reset(): void {
    this.counts.reset();
  }

  protected config(): Record<string, unknown> {
    return { numClasses: this.numClasses, ignoreIndex: this.ignoreIndex, zeroDivision: this.zeroDivision };
  }

  protected mergeState(other: this): void {
    this.counts.merge(other.counts);
  }
}

/**
 * The base of the per-class overlap scores, IoU (`tp / (tp + fp + fn)`) and Dice
 * (`2tp / (2tp + fp + fn)`): one ratio of one-vs-rest pixel counts per class, and the mean
 * over the classes that occur. `R` is `number[]` for the per-class metric, `number` for
 * its mean.
 */
export abstract class OverlapMetric<R> extends SegmentationMetric<R> {
  /**
   * The score of one class from its counts, as `[numerator, denominator]`; a zero
   * denominator marks a class that occurs in neither targets nor predictions.
   */
  protected abstract ratio(tp: number, fp: number, fn: number): [number, number];

  /** The score per class (NaN for a class seen nowhere) and whether it was seen; null before K is known. */
  protected values(): { values: number[]; present: boolean[] } | null {
    const c = this.perClassCounts();
    if (c === null) return null;
    const values: number[] = [];
    const present: boolean[] = [];
    for (let k = 0; k < c.tp.length; k++) {
      const [num, den] = this.ratio(c.tp[k], c.fp[k], c.fn[k]);
      values.push(den === 0 ? NaN : num / den);
      present.push(den > 0);
    }
    return { values, present };
  }

  /** One score per class, `zeroDivision` for a class seen nowhere; `[]` before any data. */
  protected perClass(): number[] {
    const v = this.values();
    return v === null ? [] : v.values.map((x) => (Number.isNaN(x) ? this.zeroDivision : x));
  }

  /** The mean score over the classes seen (absent ones left out); `zeroDivision` when none. */
  protected meanOverPresent(): number {
    const v = this.values();
    if (v === null) return this.zeroDivision;
    const seen = v.values.filter((_, k) => v.present[k]);
    return seen.length === 0 ? this.zeroDivision : seen.reduce((a, b) => a + b, 0) / seen.length;
  }
}

import { ConfigError, oneOf } from '@tensorloom/core';
import type { Average, AveragedOptions, ClassAveragedMetric } from '../classification/types.js';

import { ConfusionMetric, classCounts, nanAverage } from './confusion.js';

/**
 * Confusion-matrix metrics with a per-class formula `score(tp, fp, fn, tn)` and the four
 * averages.
 */
export abstract class AveragedMetric<O extends AveragedOptions = AveragedOptions>
  extends ConfusionMetric<number, O>
  implements ClassAveragedMetric
{
  private readonly average: Average | null;

  constructor(kind: string, defaultName: string, options: O, zeroDivisionDefault: number) {
    super(kind, defaultName, options, zeroDivisionDefault);
    this.average =
      options.average === undefined
        ? null
        : oneOf<Average>(this.unit, 'average', options.average, ['binary', 'micro', 'macro', 'weighted']);
    if (this.average === 'binary' && this.counts.classes !== null) this.checkClasses(this.counts.classes);
  }

  /** The per-class formula on one-vs-rest counts; NaN marks 0/0 (replaced by zeroDivision). */
  protected abstract score(tp: number, fp: number, fn: number, tn: number): number;

  protected override checkClasses(K: number): void {
    if (this.average === 'binary' && K !== 2) {
      throw new ConfigError(`${this.unit}: average 'binary' expected 2 classes, got ${K}`, {
        help: "use average 'macro', 'micro' or 'weighted' for more classes",
      });
    }
  }

  perClass(): number[] {
    const K = this.counts.classes;
    if (K === null) return [];
    const c = classCounts(this.counts.matrix!, K);
    return Array.from({ length: K }, (_, k) => this.zd(this.score(c.tp[k], c.fp[k], c.fn[k], c.tn[k])));
  }

  result(): number {
    const K = this.counts.classes;
    if (K === null) return this.zeroDivision;
    const average = this.average ?? (K === 2 ? 'binary' : 'macro');
    const c = classCounts(this.counts.matrix!, K);
    if (c.total === 0) return this.zeroDivision;
    if (average === 'binary') return this.zd(this.score(c.tp[1], c.fp[1], c.fn[1], c.tn[1]));
    if (average === 'micro') {
      const sum = (a: Float64Array): number => a.reduce((s, v) => s + v, 0);
      return this.zd(this.score(sum(c.tp), sum(c.fp), sum(c.fn), sum(c.tn)));
    }
    const values = this.perClass();
    if (average === 'weighted') return nanAverage(values, c.support, this.zeroDivision);
    // macro: only classes that occur in yTrue or yPred
    const present = new Float64Array(K);
    for (let k = 0; k < K; k++) present[k] = c.tp[k] + c.fp[k] + c.fn[k] > 0 ? 1 : 0;
    return nanAverage(values, present, this.zeroDivision);
  }

  protected override config(): Record<string, unknown> {
    return { ...super.config(), average: this.average };
  }

  private zd(v: number): number {
    return Number.isNaN(v) ? this.zeroDivision : v;
  }
}

/** `num / den`, NaN when `den` is 0 (to be replaced by zeroDivision). */
export function ratio(num: number, den: number): number {
  return den === 0 ? NaN : num / den;
}

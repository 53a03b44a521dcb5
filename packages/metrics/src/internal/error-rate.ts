import type { ErrorRateOptions, TextBatch } from '../text/types.js';
import type { NumericInput } from '../metric.js';
import { checkZeroDivision } from './checks.js';
import { RatioMetric } from './ratio.js';
import { checkPairs, levenshtein, noWeights, toSequences } from './text.js';

/**
 * Σ edit distance / Σ reference length over a corpus, with strings split by `split`:
 * shared by CER, WER and PER. State: [Σ edits, Σ reference tokens].
 */
export class ErrorRate extends RatioMetric<TextBatch, TextBatch, ErrorRateOptions> {
  protected readonly zeroDivision: number;

  constructor(
    options: ErrorRateOptions,
    kind: string,
    defaultName: string,
    private readonly split: (s: string) => string[],
  ) {
    super(kind, defaultName, options);
    this.zeroDivision = checkZeroDivision(this.unit, options.zeroDivision, NaN);
  }

  update(yTrue: TextBatch, yPred: TextBatch, sampleWeight?: NumericInput): void {
    noWeights(this.unit, sampleWeight);
    const refs = toSequences(this.unit, 'yTrue', yTrue, this.split);
    const hyps = toSequences(this.unit, 'yPred', yPred, this.split);
    checkPairs(this.unit, refs, hyps);
    for (let i = 0; i < refs.length; i++) {
      this.state[0] += levenshtein(refs[i], hyps[i]);
      this.state[1] += refs[i].length;
    }
  }

  protected config(): Record<string, unknown> {
    return { zeroDivision: this.zeroDivision };
  }
}

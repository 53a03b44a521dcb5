import type { Metric, MetricFactory } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { ErrorRate } from '../internal/error-rate.js';
import { words } from '../internal/text.js';
import type { ErrorRateOptions, TextBatch } from './types.js';

class Wer extends ErrorRate {
  constructor(options: ErrorRateOptions) {
    super(options, 'WER', 'wer', words);
  }
}

/**
 * Word error rate over a corpus.
 *
 * Formula: `WER = (S + D + I) / N = Σ_i lev(ref_i, hyp_i) / Σ_i |ref_i|` on words (strings
 * split on whitespace; token arrays used as they are), summed over the corpus before dividing
 * (as torchmetrics `WordErrorRate` and jiwer). No case folding or punctuation removal: do it
 * before if you want it. No reference words at all: `zeroDivision` (default NaN).
 *
 * Reference: https://en.wikipedia.org/wiki/Word_error_rate
 *
 * @example
 * ```ts
 * wer.compute(['this is the reference', 'another one'], ['this is a reference', 'another one']); // 1/6
 * ```
 *
 * @group Text and sequences
 */
export const wer: MetricFactory<ErrorRateOptions, number, TextBatch, TextBatch, Metric<number, TextBatch, TextBatch>> =
  defineMetric((options: ErrorRateOptions) => new Wer(options));

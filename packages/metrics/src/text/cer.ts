import type { Metric, MetricFactory } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { ErrorRate } from '../internal/error-rate.js';
import { characters } from '../internal/text.js';
import type { ErrorRateOptions, TextBatch } from './types.js';

class Cer extends ErrorRate {
  constructor(options: ErrorRateOptions) {
    super(options, 'CER', 'cer', characters);
  }
}

/**
 * Character error rate over a corpus.
 *
 * Formula: `CER = Σ_i lev(ref_i, hyp_i) / Σ_i |ref_i|` — substitutions + deletions +
 * insertions over the number of reference characters, summed over all pairs before dividing
 * (as torchmetrics `CharErrorRate` and jiwer), so long sentences weigh more. Characters are
 * Unicode code points; spaces count. Token arrays are compared token by token. It can
 * exceed 1 (many insertions). No reference characters at all: `zeroDivision` (default NaN).
 *
 * @example
 * ```ts
 * cer.compute('kitten', 'sitting'); // 3 edits / 6 = 0.5
 * cer.compute(['hello', 'world'], ['helo', 'word']); // (1 + 1) / 10 = 0.2
 * ```
 *
 * @group Text and sequences
 */
export const cer: MetricFactory<ErrorRateOptions, number, TextBatch, TextBatch, Metric<number, TextBatch, TextBatch>> =
  defineMetric((options: ErrorRateOptions) => new Cer(options));

import type { Metric, MetricFactory } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { ErrorRate } from '../internal/error-rate.js';
import { words } from '../internal/text.js';
import type { ErrorRateOptions, TextBatch } from './types.js';

class Per extends ErrorRate {
  constructor(options: ErrorRateOptions) {
    super(options, 'PER', 'per', words);
  }
}

/**
 * Phoneme error rate over a corpus: the word error rate computed on phoneme symbols.
 *
 * Formula: `PER = Σ_i lev(ref_i, hyp_i) / Σ_i |ref_i|` where each sequence is a list of
 * phonemes — a string of space-separated symbols (ARPAbet as in CMUdict: `"HH AH0 L OW1"`;
 * stress digits are part of the symbol) or a token array (phoneme ids). No reference
 * phonemes at all: `zeroDivision` (default NaN). Used for grapheme-to-phoneme models.
 *
 * @example
 * ```ts
 * per.compute('HH AH0 L OW1', 'HH EH1 L OW1'); // 1 substitution / 4 = 0.25
 * ```
 *
 * @group Text and sequences
 */
export const per: MetricFactory<ErrorRateOptions, number, TextBatch, TextBatch, Metric<number, TextBatch, TextBatch>> =
  defineMetric((options: ErrorRateOptions) => new Per(options));

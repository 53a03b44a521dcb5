import { oneOf } from '@tensorloom/core';
import type { Metric, MetricFactory, MetricOptions, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { checkZeroDivision } from '../internal/checks.js';
import { RatioMetric } from '../internal/ratio.js';
import { characters, checkPairs, levenshtein, noWeights, toSequences, words } from '../internal/text.js';
import type { TextBatch } from './types.js';

/**
 * Options of {@link editDistance}.
 *
 * @example
 * ```ts
 * editDistance({ split: 'words', reduction: 'sum' });
 * ```
 *
 * @group Text and sequences
 */
export interface EditDistanceOptions extends MetricOptions {
  /** How strings become tokens: `'characters'` (default; code points) or `'words'` (whitespace). */
  split?: 'characters' | 'words';
  /** `'mean'` (default): the mean distance per pair; `'sum'`: the total. */
  reduction?: 'mean' | 'sum';
  /** The mean before any pair has been seen. Default NaN. */
  zeroDivision?: number;
}

/** State: [Σ distance, pairs]. */
class EditDistance extends RatioMetric<TextBatch, TextBatch, EditDistanceOptions> {
  private readonly split: 'characters' | 'words';
  private readonly reduction: 'mean' | 'sum';
  protected readonly zeroDivision: number;

  constructor(options: EditDistanceOptions) {
    super('EditDistance', 'editDistance', options);
    this.split = options.split === undefined ? 'characters' : oneOf<'characters' | 'words'>(this.unit, 'split', options.split, ['characters', 'words']);
    this.reduction = options.reduction === undefined ? 'mean' : oneOf<'mean' | 'sum'>(this.unit, 'reduction', options.reduction, ['mean', 'sum']);
    this.zeroDivision = checkZeroDivision(this.unit, options.zeroDivision, NaN);
  }

  update(yTrue: TextBatch, yPred: TextBatch, sampleWeight?: NumericInput): void {
    noWeights(this.unit, sampleWeight);
    const split = this.split === 'words' ? words : characters;
    const refs = toSequences(this.unit, 'yTrue', yTrue, split);
    const hyps = toSequences(this.unit, 'yPred', yPred, split);
    checkPairs(this.unit, refs, hyps);
    for (let i = 0; i < refs.length; i++) this.state[0] += levenshtein(refs[i], hyps[i]);
    this.state[1] += refs.length;
  }

  override result(): number {
    return this.reduction === 'sum' ? this.state[0] : super.result();
  }

  protected config(): Record<string, unknown> {
    return { split: this.split, reduction: this.reduction, zeroDivision: this.zeroDivision };
  }
}

/**
 * Levenshtein edit distance between sequences: the fewest single-token insertions,
 * deletions and substitutions turning one into the other.
 *
 * Formula (dynamic programming): `d(i, j) = min(d(i−1, j) + 1, d(i, j−1) + 1,
 * d(i−1, j−1) + [a_i ≠ b_j])`, `d(i, 0) = i`, `d(0, j) = j`. Works on strings (characters by
 * default, or words) and on token arrays (strings or ids). The metric reports the mean
 * distance per pair (or the sum), as torchmetrics `EditDistance`.
 *
 * Reference: Levenshtein, V. I. (1966), "Binary codes capable of correcting deletions,
 * insertions, and reversals", Soviet Physics Doklady 10(8).
 *
 * @example
 * ```ts
 * editDistance.compute('kitten', 'sitting');                          // 3
 * editDistance.compute([[1, 2, 3]], [[1, 3]]);                        // 1
 * editDistance.compute('the cat sat', 'the cat sat down', { split: 'words' }); // 1
 * ```
 *
 * @group Text and sequences
 */
export const editDistance: MetricFactory<EditDistanceOptions, number, TextBatch, TextBatch, Metric<number, TextBatch, TextBatch>> =
  defineMetric((options: EditDistanceOptions) => new EditDistance(options));

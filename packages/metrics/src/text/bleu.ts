import { ShapeError, finiteNumber, inRange, intInRange, oneOf } from '@tensorloom/core';
import type { Metric, MetricFactory, MetricOptions, NumericInput } from '../metric.js';
import { BaseMetric, defineMetric } from '../internal/base.js';

import { characters, noWeights, tokenKey, toSequences, words } from '../internal/text.js';
import type { TextBatch, TokenSequence } from './types.js';

/**
 * References for {@link bleu}: one entry per hypothesis, each a single reference string or a
 * list of references.
 * - `string[]`: one reference string per hypothesis;
 * - `(string | TokenSequence)[][]`: several references per hypothesis (strings or token
 *   arrays); a single tokenised reference must be wrapped: `[[['the', 'cat']]]`.
 *
 * @example
 * ```ts
 * const refs: BleuReferences = [['the cat is on the mat', 'there is a cat on the mat']];
 * ```
 *
 * @group Text and sequences
 */
export type BleuReferences = string | readonly (string | readonly (string | TokenSequence)[])[];

/**
 * Options of {@link bleu}.
 *
 * @example
 * ```ts
 * bleu({ smoothing: 'exp' });           // sacrebleu's default smoothing
 * bleu({ maxOrder: 2, lowercase: true });
 * ```
 *
 * @group Text and sequences
 */
export interface BleuOptions extends MetricOptions {
  /** The longest n-gram counted. Default 4. */
  maxOrder?: number;
  /**
   * What to do with n-gram orders without a match (names as sacrebleu; NLTK's
   * `SmoothingFunction` method in brackets):
   * - `'none'` (default; method0): any zero precision makes BLEU 0;
   * - `'floor'` (method1): a zero match count becomes `smoothValue` (default 0.1);
   * - `'addK'` (method2): add `smoothValue` (default 1) to matches and totals of orders n > 1;
   * - `'exp'` (method3, NIST, sacrebleu's default): the k-th zero precision becomes 1 / (2^k · total).
   */
  smoothing?: 'none' | 'floor' | 'addK' | 'exp';
  /** The constant of `'floor'` (default 0.1) and `'addK'` (default 1). */
  smoothValue?: number;
  /** How strings become tokens: `'whitespace'` (default) or `'characters'`. Token arrays are used as given. */
  tokenize?: 'whitespace' | 'characters';
  /** Lower-case strings before tokenising. Default false. */
  lowercase?: boolean;
}

const SMOOTH_DEFAULT = { none: 0, floor: 0.1, addK: 1, exp: 0 } as const;

/** Counts of the n-grams of orders 1..maxOrder of a sequence. */
function ngramCounts(seq: TokenSequence, maxOrder: number): Map<string, number>[] {
  const keys = seq.map(tokenKey);
  const out: Map<string, number>[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= keys.length; i++) {
      const k = keys.slice(i, i + n).join('\u0000');
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    out.push(m);
  }
  return out;
}

class Bleu extends BaseMetric<number, BleuReferences, TextBatch, BleuOptions> {
  private readonly maxOrder: number;
  private readonly smoothing: 'none' | 'floor' | 'addK' | 'exp';
  private readonly smoothValue: number;
  private readonly tokenize: 'whitespace' | 'characters';
  private readonly lowercase: boolean;
  /** [matches per order (maxOrder), totals per order (maxOrder), hypothesis length, reference length] */
  private readonly state: Float64Array;

  constructor(options: BleuOptions) {
    super('BLEU', 'bleu', options);
    const unit = this.unit;
    this.maxOrder = options.maxOrder === undefined ? 4 : intInRange(unit, 'maxOrder', options.maxOrder, 1);
    this.smoothing =
      options.smoothing === undefined
        ? 'none'
        : oneOf<'none' | 'floor' | 'addK' | 'exp'>(unit, 'smoothing', options.smoothing, ['none', 'floor', 'addK', 'exp']);
    this.smoothValue = options.smoothValue === undefined ? SMOOTH_DEFAULT[this.smoothing] : finiteNumber(unit, 'smoothValue', options.smoothValue);
    if ((this.smoothing === 'floor' || this.smoothing === 'addK') && !(this.smoothValue > 0)) {
      inRange(unit, 'smoothValue', this.smoothValue, { min: 0, minOpen: true });
    }
    this.tokenize =
      options.tokenize === undefined
        ? 'whitespace'
        : oneOf<'whitespace' | 'characters'>(unit, 'tokenize', options.tokenize, ['whitespace', 'characters']);
    this.lowercase = options.lowercase === true;
    this.state = new Float64Array(2 * this.maxOrder + 2);
  }

  private split = (s: string): string[] => {
    const text = this.lowercase ? s.toLowerCase() : s;
    return this.tokenize === 'characters' ? characters(text) : words(text);
  };

  private readReferences(refs: BleuReferences): TokenSequence[][] {
    const unit = this.unit;
    if (typeof refs === 'string') return [[this.split(refs)]];
    if (!Array.isArray(refs)) throw new ShapeError(`${unit}: yTrue expected a string or an array of references, got ${typeof refs}`);
    return refs.map((entry: unknown, i) => {
      if (typeof entry === 'string') return [this.split(entry)];
      if (!Array.isArray(entry) || entry.length === 0) {
        throw new ShapeError(`${unit}: yTrue expected a reference or a non-empty list of references at index ${i}, got ${Array.isArray(entry) ? 'an empty list' : typeof entry}`);
      }
      return toSequences(unit, 'yTrue', entry as TextBatch, this.split);
    });
  }

  update(yTrue: BleuReferences, yPred: TextBatch, sampleWeight?: NumericInput): void {
    noWeights(this.unit, sampleWeight);
    const refs = this.readReferences(yTrue);
    const hyps = toSequences(this.unit, 'yPred', yPred, this.split);
    if (refs.length !== hyps.length) {
      throw new ShapeError(`${this.unit}: yPred expected ${refs.length} hypotheses (one per entry of yTrue), got ${hyps.length}`);
    }
    const N = this.maxOrder;
    for (let s = 0; s < hyps.length; s++) {
      const hyp = hyps[s];
      const hypCounts = ngramCounts(hyp, N);
      // the most times each n-gram occurs in any one reference (clipping)
      const maxRef = hypCounts.map(() => new Map<string, number>());
      for (const ref of refs[s]) {
        ngramCounts(ref, N).forEach((m, n) => {
          for (const [k, c] of m) if (c > (maxRef[n].get(k) ?? 0)) maxRef[n].set(k, c);
        });
      }
      for (let n = 0; n < N; n++) {
        let matches = 0;
        for (const [k, c] of hypCounts[n]) matches += Math.min(c, maxRef[n].get(k) ?? 0);
        this.state[n] += matches;
        this.state[N + n] += Math.max(0, hyp.length - n);
      }
      // the closest reference length, the shorter on a tie (NLTK, sacrebleu)
      let closest = refs[s][0].length;
      for (const ref of refs[s]) {
        const d = Math.abs(ref.length - hyp.length);
        const best = Math.abs(closest - hyp.length);
        if (d < best || (d === best && ref.length < closest)) closest = ref.length;
      }
      this.state[2 * N] += hyp.length;
      this.state[2 * N + 1] += closest;
    }
  }

  result(): number {
    const N = this.maxOrder;
    const sys = this.state[2 * N];
    const ref = this.state[2 * N + 1];
    const bp = sys < ref ? (sys > 0 ? Math.exp(1 - ref / sys) : 0) : 1;
    let anyMatch = false;
    for (let n = 0; n < N; n++) if (this.state[n] > 0) anyMatch = true;
    if (!anyMatch) return 0;
    let logSum = 0;
    let zeroes = 0; // k of the NIST geometric smoothing
    for (let n = 0; n < N; n++) {
      let correct = this.state[n];
      let total = this.state[N + n];
      if (this.smoothing === 'addK' && n > 0) {
        correct += this.smoothValue;
        total += this.smoothValue;
      }
      if (total === 0) return 0; // no n-grams of this order at all (sacrebleu: score 0)
      let p: number;
      if (correct > 0) p = correct / total;
      else if (this.smoothing === 'exp') p = 1 / (2 ** ++zeroes * total);
      else if (this.smoothing === 'floor') p = this.smoothValue / total;
      else return 0;
      logSum += Math.log(p);
    }
    return bp * Math.exp(logSum / N);
  }

  reset(): void {
    this.state.fill(0);
  }

  protected config(): Record<string, unknown> {
    return {
      maxOrder: this.maxOrder,
      smoothing: this.smoothing,
      smoothValue: this.smoothValue,
      tokenize: this.tokenize,
      lowercase: this.lowercase,
    };
  }

  protected mergeState(other: this): void {
    for (let i = 0; i < this.state.length; i++) this.state[i] += other.state[i];
  }
}

/**
 * Corpus-level BLEU (0 to 1), with up to `maxOrder`-grams (default 4), clipped n-gram
 * precisions, a brevity penalty and optional smoothing.
 *
 * Formula: `BLEU = BP · exp((1/N) Σ_{n=1..N} log p_n)`, where `p_n` = (Σ over hypotheses of
 * n-gram matches clipped to the most times the n-gram occurs in any one reference) / (Σ
 * hypothesis n-grams), and `BP = 1` if `c > r` else `exp(1 − r/c)` with c the total
 * hypothesis length and r the total of the reference lengths closest to each hypothesis (the
 * shorter on ties). Statistics are summed over the corpus before the formula (corpus BLEU,
 * not a mean of sentence scores), so streaming and merging are exact.
 *
 * It follows sacrebleu's `BLEU.compute_bleu` on already tokenised text (`tokenize='none'`),
 * with scores divided by 100, and agrees with NLTK's `corpus_bleu` with the matching
 * `SmoothingFunction` method (see {@link BleuOptions.smoothing}) wherever both are defined.
 * Both return 0 when nothing matches. Where every hypothesis is shorter than n, sacrebleu
 * (and this) give 0 while NLTK smooths a 0/1 precision. Strings are split on whitespace —
 * sacrebleu's default `13a` tokeniser also splits punctuation, so pre-tokenise to compare
 * with it.
 *
 * Reference: Papineni, Roukos, Ward, Zhu (2002), "BLEU: a Method for Automatic Evaluation of
 * Machine Translation", ACL. https://aclanthology.org/P02-1040 ; smoothing: Chen & Cherry
 * (2014), WMT. https://aclanthology.org/W14-3346
 *
 * @example
 * ```ts
 * bleu.compute(
 *   [['the cat is on the mat', 'there is a cat on the mat']],
 *   ['the cat is on the mat'],
 * ); // 1
 * const b = bleu({ smoothing: 'exp' });
 * b.update(references, hypotheses); // per batch
 * b.result();
 * ```
 *
 * @group Text and sequences
 */
export const bleu: MetricFactory<BleuOptions, number, BleuReferences, TextBatch, Metric<number, BleuReferences, TextBatch>> =
  defineMetric((options: BleuOptions) => new Bleu(options));

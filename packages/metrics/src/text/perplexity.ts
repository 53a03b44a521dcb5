import { ShapeError, finiteNumber, formatShape } from '@tensorloom/core';
import type { Metric, MetricFactory, MetricOptions, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { checkZeroDivision } from '../internal/checks.js';
import { shapeForm, withClassAxis } from '../internal/decode.js';
import { readProbabilities } from '../internal/probabilities.js';
import { readPredictions, toDense } from '../internal/input.js';
import { RatioMetric } from '../internal/ratio.js';

/**
 * Options of {@link perplexity}.
 *
 * @example
 * ```ts
 * perplexity({ ignoreIndex: 0 });              // token id 0 is padding
 * perplexity({ fromLogits: false });           // yPred holds probabilities
 * ```
 *
 * @group Text and sequences
 */
export interface PerplexityOptions extends MetricOptions {
  /** yPred holds logits (log-softmax taken in float64). Default true; false for probabilities. */
  fromLogits?: boolean;
  /** Target tokens equal to this id (padding) are skipped. */
  ignoreIndex?: number;
  /** The result before any token has been seen. Default NaN. */
  zeroDivision?: number;
}

/** State: [Σ w·(−log p), Σ w]; the result is the exponential of their ratio. */
class Perplexity extends RatioMetric<NumericInput, NumericInput, PerplexityOptions> {
  private readonly fromLogits: boolean;
  private readonly ignoreIndex: number | null;
  protected readonly zeroDivision: number;

  constructor(options: PerplexityOptions) {
    super('Perplexity', 'perplexity', options);
    this.fromLogits = options.fromLogits !== false;
    this.ignoreIndex = options.ignoreIndex === undefined ? null : finiteNumber(this.unit, 'ignoreIndex', options.ignoreIndex);
    this.zeroDivision = checkZeroDivision(this.unit, options.zeroDivision, NaN);
  }

  update(yTrue: NumericInput, yPred: NumericInput, sampleWeight?: NumericInput): void {
    const t = toDense(this.unit, 'yTrue', yTrue);
    const p = readPredictions(this.unit, yPred);
    if (t.values.length === 0 && p.values.length === 0) return;
    if (shapeForm(this.unit, t.shape, p.shape).form !== 'sparse') {
      throw new ShapeError(
        `${this.unit}: yPred expected shape ${withClassAxis(t.shape)} (a distribution over the vocabulary per token), got ${formatShape(p.shape)}`,
      );
    }
    const b = readProbabilities(this.unit, yTrue, yPred, sampleWeight, {
      fromLogits: this.fromLogits,
      eps: 0, // a zero probability for the target is an infinite perplexity, not a clipped one
      ignoreIndex: this.ignoreIndex,
      task: 'multiclass',
    });
    if (b.kind !== 'multiclass' || b.ids === null) return;
    let nll = 0;
    let total = 0;
    for (let i = 0; i < b.ids.length; i++) {
      nll -= b.weights[i] * b.logProbs[i * b.K + b.ids[i]];
      total += b.weights[i];
    }
    this.state[0] += nll;
    this.state[1] += total;
  }

  override result(): number {
    return this.state[1] === 0 ? this.zeroDivision : Math.exp(this.state[0] / this.state[1]);
  }

  protected config(): Record<string, unknown> {
    return { fromLogits: this.fromLogits, ignoreIndex: this.ignoreIndex, zeroDivision: this.zeroDivision };
  }
}

/**
 * Perplexity of a language model on target tokens: the exponential of the mean negative
 * log-likelihood.
 *
 * Formula: `PPL = exp(−Σ_t w_t log p(y_t) / Σ_t w_t)` over the target tokens that are not
 * `ignoreIndex` (padding), with `p` the softmax of the logits (default) or the given
 * probabilities (`fromLogits: false`). yTrue holds token ids `[B, T]`, yPred `[B, T, V]`.
 * The sums run over the whole stream (a token-weighted corpus perplexity, as torchmetrics
 * `Perplexity`), not a mean of per-batch perplexities. A target with probability 0 makes it
 * Infinity. No tokens: `zeroDivision` (default NaN).
 *
 * Reference: Jelinek, Mercer, Bahl, Baker (1977), "Perplexity — a measure of the
 * difficulty of speech recognition tasks", JASA 62(S1).
 *
 * @example
 * ```ts
 * // uniform logits over 4 tokens → perplexity 4
 * perplexity.compute([[1, 2]], [[[0, 0, 0, 0], [0, 0, 0, 0]]]);
 * ```
 *
 * @group Text and sequences
 */
export const perplexity: MetricFactory<PerplexityOptions, number, NumericInput, NumericInput, Metric<number>> = defineMetric(
  (options: PerplexityOptions) => new Perplexity(options),
);

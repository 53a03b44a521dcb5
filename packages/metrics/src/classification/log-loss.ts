import { finiteNumber, inRange, oneOf } from '@tensorloom/core';
import type { Metric, MetricFactory, MetricOptions, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { checkZeroDivision } from '../internal/checks.js';
import type { ProbabilityConfig } from '../internal/probabilities.js';
import { readProbabilities } from '../internal/probabilities.js';
import { RatioMetric } from '../internal/ratio.js';

/**
 * Options of {@link logLoss}.
 *
 * @example
 * ```ts
 * logLoss({ fromLogits: true }); // class logits, log-softmax taken in float64
 * ```
 *
 * @group Classification
 */
export interface LogLossOptions extends MetricOptions {
  /** yPred holds logits (sigmoid / softmax applied, stably) rather than probabilities. Default false. */
  fromLogits?: boolean;
  /** Probabilities are clipped to [eps, 1 − eps] before the log. Default 1e-15. */
  eps?: number;
  /**
   * `'auto'` (default): class ids with class scores, or one-hot rows, are multiclass; other
   * same-shaped input is binary per element. `'binary'`: always per element (multi-label).
   * `'multiclass'`: same-shaped `[..., K]` targets are distributions.
   */
  task?: 'auto' | 'binary' | 'multiclass';
  /** Targets equal to this value are skipped. */
  ignoreIndex?: number;
  /** The result before any sample has been seen. Default NaN. */
  zeroDivision?: number;
}

/** State: [Σ w·loss, Σ w]. */
class LogLoss extends RatioMetric<NumericInput, NumericInput, LogLossOptions> {
  private readonly cfg: ProbabilityConfig;
  protected readonly zeroDivision: number;

  constructor(options: LogLossOptions) {
    super('LogLoss', 'logLoss', options);
    const eps = options.eps === undefined ? 1e-15 : inRange(this.unit, 'eps', options.eps, { min: 0, max: 0.5, minOpen: true, maxOpen: true });
    this.cfg = {
      fromLogits: options.fromLogits === true,
      eps,
      ignoreIndex: options.ignoreIndex === undefined ? null : finiteNumber(this.unit, 'ignoreIndex', options.ignoreIndex),
      task: options.task === undefined ? 'auto' : oneOf<'auto' | 'binary' | 'multiclass'>(this.unit, 'task', options.task, ['auto', 'binary', 'multiclass']),
    };
    this.zeroDivision = checkZeroDivision(this.unit, options.zeroDivision, NaN);
  }

  update(yTrue: NumericInput, yPred: NumericInput, sampleWeight?: NumericInput): void {
    const b = readProbabilities(this.unit, yTrue, yPred, sampleWeight, this.cfg);
    let loss = 0;
    let total = 0;
    if (b.kind === 'binary') {
      for (let i = 0; i < b.targets.length; i++) {
        const y = b.targets[i];
        // 0·log(…) terms are skipped so hard labels never meet a log of 0 (xlogy)
        const l = -((y > 0 ? y * b.logP[i] : 0) + (y < 1 ? (1 - y) * b.log1mP[i] : 0));
        loss += b.weights[i] * l;
        total += b.weights[i];
      }
    } else {
      const K = b.K;
      for (let i = 0; i < b.weights.length; i++) {
        let l = 0;
        if (b.ids !== null) l = -b.logProbs[i * K + b.ids[i]];
        else for (let c = 0; c < K; c++) if (b.dist![i * K + c] > 0) l -= b.dist![i * K + c] * b.logProbs[i * K + c];
        loss += b.weights[i] * l;
        total += b.weights[i];
      }
    }
    this.state[0] += loss;
    this.state[1] += total;
  }

  protected config(): Record<string, unknown> {
    return { ...this.cfg, zeroDivision: this.zeroDivision };
  }
}

/**
 * Log loss (cross-entropy): the mean negative log-likelihood of the targets.
 *
 * Formula, weighted mean over samples:
 * binary `−[y·log p + (1 − y)·log(1 − p)]` per element; multiclass `−log p_{i, y_i}` for class
 * ids, or `−Σ_k y_ik log p_ik` for one-hot / soft targets. Probabilities are clipped to
 * `[eps, 1 − eps]` (default 1e-15); with `fromLogits` the log-sigmoid / log-softmax is taken
 * from the logits in float64 (no clipping needed). Matches `sklearn.metrics.log_loss` for
 * rows that sum to 1 (scikit-learn also renormalises rows; here they are used as given).
 *
 * Empty input: `zeroDivision` (default NaN).
 *
 * Reference: https://en.wikipedia.org/wiki/Cross-entropy ; Bishop (2006), Pattern
 * Recognition and Machine Learning, §4.3.2 and §4.3.4.
 *
 * @example
 * ```ts
 * // sklearn docstring: log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]])
 * logLoss.compute([1, 0, 0, 1], [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]]); // 0.21616
 * logLoss.compute([1, 0], [0.8, 0.3]);                                            // binary: 0.2899
 * ```
 *
 * @group Classification
 */
export const logLoss: MetricFactory<LogLossOptions, number, NumericInput, NumericInput, Metric<number>> = defineMetric(
  (options: LogLossOptions) => new LogLoss(options),
);

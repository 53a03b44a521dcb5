import { finiteNumber, intInRange, oneOf } from '@tensorloom/core';
import type { Metric, MetricFactory, MetricOptions, NumericInput } from '../metric.js';
import { BaseMetric, defineMetric } from '../internal/base.js';
import { checkZeroDivision } from '../internal/checks.js';
import type { ProbabilityConfig } from '../internal/probabilities.js';
import { readProbabilities } from '../internal/probabilities.js';

/**
 * Options of {@link calibrationError}.
 *
 * @example
 * ```ts
 * calibrationError({ bins: 10, norm: 'max' }); // maximum calibration error over 10 bins
 * ```
 *
 * @group Classification
 */
export interface CalibrationErrorOptions extends MetricOptions {
  /** Number of equal-width confidence bins on [0, 1]. Default 15 (as torchmetrics). */
  bins?: number;
  /** `'l1'` (default): expected calibration error; `'l2'`: root mean squared; `'max'`: maximum. */
  norm?: 'l1' | 'l2' | 'max';
  /** yPred holds logits (sigmoid / softmax applied). Default false. */
  fromLogits?: boolean;
  /** `'auto'` (default), `'binary'` or `'multiclass'`, as for {@link logLoss}. */
  task?: 'auto' | 'binary' | 'multiclass';
  /** Targets equal to this value are skipped. */
  ignoreIndex?: number;
  /** The result before any sample has been seen. Default NaN. */
  zeroDivision?: number;
}

class CalibrationError extends BaseMetric<number, NumericInput, NumericInput, CalibrationErrorOptions> {
  private readonly bins: number;
  private readonly norm: 'l1' | 'l2' | 'max';
  private readonly cfg: ProbabilityConfig;
  private readonly zeroDivision: number;
  /** Per bin: [Σ w, Σ w·confidence, Σ w·accuracy], interleaved. */
  private readonly state: Float64Array;

  constructor(options: CalibrationErrorOptions) {
    super('CalibrationError', 'calibrationError', options);
    this.bins = options.bins === undefined ? 15 : intInRange(this.unit, 'bins', options.bins, 1);
    this.norm = options.norm === undefined ? 'l1' : oneOf<'l1' | 'l2' | 'max'>(this.unit, 'norm', options.norm, ['l1', 'l2', 'max']);
    this.cfg = {
      fromLogits: options.fromLogits === true,
      eps: 1e-15,
      ignoreIndex: options.ignoreIndex === undefined ? null : finiteNumber(this.unit, 'ignoreIndex', options.ignoreIndex),
      task:
        options.task === undefined
          ? 'auto'
          : oneOf<'auto' | 'binary' | 'multiclass'>(this.unit, 'task', options.task, ['auto', 'binary', 'multiclass']),
    };
    this.zeroDivision = checkZeroDivision(this.unit, options.zeroDivision, NaN);
    this.state = new Float64Array(3 * this.bins);
  }

  /** Bin j holds confidences in [j/M, (j+1)/M); 1 goes to the last bin (torchmetrics' bucketize). */
  private binOf(conf: number): number {
    const M = this.bins;
    let j = Math.min(Math.floor(conf * M), M - 1);
    // guard the floating-point edges so that j/M <= conf < (j+1)/M exactly
    while (j > 0 && conf < j / M) j--;
    while (j < M - 1 && conf >= (j + 1) / M) j++;
    return j;
  }

  private add(conf: number, acc: number, w: number): void {
    const j = 3 * this.binOf(conf);
    this.state[j] += w;
    this.state[j + 1] += w * conf;
    this.state[j + 2] += w * acc;
  }

  update(yTrue: NumericInput, yPred: NumericInput, sampleWeight?: NumericInput): void {
    const b = readProbabilities(this.unit, yTrue, yPred, sampleWeight, this.cfg);
    if (b.kind === 'binary') {
      // binary: confidence is the probability of class 1, accuracy the label (torchmetrics)
      for (let i = 0; i < b.targets.length; i++) this.add(b.probs[i], b.targets[i], b.weights[i]);
      return;
    }
    const K = b.K;
    for (let i = 0; i < b.weights.length; i++) {
      let best = 0;
      for (let c = 1; c < K; c++) if (b.probs[i * K + c] > b.probs[i * K + best]) best = c;
      let truth: number;
      if (b.ids !== null) truth = b.ids[i];
      else {
        truth = 0;
        for (let c = 1; c < K; c++) if (b.dist![i * K + c] > b.dist![i * K + truth]) truth = c;
      }
      this.add(b.probs[i * K + best], best === truth ? 1 : 0, b.weights[i]);
    }
  }

  result(): number {
    let total = 0;
    for (let j = 0; j < this.bins; j++) total += this.state[3 * j];
    if (total === 0) return this.zeroDivision;
    let sum = 0;
    let max = 0;
    for (let j = 0; j < this.bins; j++) {
      const w = this.state[3 * j];
      if (w === 0) continue;
      const gap = Math.abs(this.state[3 * j + 2] / w - this.state[3 * j + 1] / w);
      if (this.norm === 'l1') sum += (w / total) * gap;
      else if (this.norm === 'l2') sum += (w / total) * gap * gap;
      else max = Math.max(max, gap);
    }
    return this.norm === 'l1' ? sum : this.norm === 'l2' ? Math.sqrt(sum) : max;
  }

  reset(): void {
    this.state.fill(0);
  }

  protected config(): Record<string, unknown> {
    return { bins: this.bins, norm: this.norm, ...this.cfg, zeroDivision: this.zeroDivision };
  }

  protected mergeState(other: this): void {
    for (let i = 0; i < this.state.length; i++) this.state[i] += other.state[i];
  }
}

/**
 * Calibration error: how far predicted confidence is from observed accuracy, over
 * equal-width confidence bins.
 *
 * Each sample has a confidence `conf` and an accuracy `acc`: for class scores, the top
 * probability and whether its class is right; for binary input, the probability of class 1
 * and the label (as torchmetrics `BinaryCalibrationError`). With M bins `B_m` (bin j holds
 * `[j/M, (j+1)/M)`, the last also 1) and `w_m` the bin's share of the (weighted) samples:
 * - `'l1'` — expected calibration error `ECE = Σ_m w_m |acc(B_m) − conf(B_m)|`;
 * - `'l2'` — `sqrt(Σ_m w_m (acc(B_m) − conf(B_m))²)`;
 * - `'max'` — maximum calibration error `max_m |acc(B_m) − conf(B_m)|` over non-empty bins.
 * The state is three float64 sums per bin, so streaming and merging are exact.
 *
 * Reference: Guo, Pleiss, Sun, Weinberger (2017), "On Calibration of Modern Neural
 * Networks", ICML. https://arxiv.org/abs/1706.04599 ; Naeini, Cooper, Hauskrecht (2015),
 * AAAI.
 *
 * @example
 * ```ts
 * calibrationError.compute([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], { bins: 5 });
 * ```
 *
 * @group Classification
 */
export const calibrationError: MetricFactory<CalibrationErrorOptions, number, NumericInput, NumericInput, Metric<number>> =
  defineMetric((options: CalibrationErrorOptions) => new CalibrationError(options));

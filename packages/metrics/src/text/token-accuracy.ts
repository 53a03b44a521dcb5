import { finiteNumber } from '@tensorloom/core';
import type { Metric, MetricFactory, NumericInput } from '../metric.js';
import { defineMetric } from '../internal/base.js';
import { unitOf } from '../internal/checks.js';
import type { AccuracyOptions } from '../classification/accuracy.js';
import { AccuracyMetric } from '../classification/accuracy.js';

/**
 * Options of {@link tokenAccuracy}.
 *
 * @example
 * ```ts
 * tokenAccuracy({ ignoreIndex: 0 }); // id 0 is padding
 * ```
 *
 * @group Text and sequences
 */
export interface TokenAccuracyOptions extends AccuracyOptions {
  /** Target tokens equal to this id (padding) are skipped. Default: none skipped. */
  ignoreIndex?: number;
}

class TokenAccuracy extends AccuracyMetric<TokenAccuracyOptions> {
  constructor(options: TokenAccuracyOptions) {
    const ignore =
      options.ignoreIndex === undefined
        ? null
        : finiteNumber(unitOf('TokenAccuracy', options.name ?? 'tokenAccuracy'), 'ignoreIndex', options.ignoreIndex);
    super(options, { kind: 'TokenAccuracy', defaultName: 'tokenAccuracy', mode: 'sparseOrLabels', ignoreIndex: ignore });
  }
}

/**
 * Token accuracy for sequences: the fraction of target tokens predicted exactly, padding
 * skipped.
 *
 * Formula: `Σ_t w_t [ŷ_t == y_t] / Σ_t w_t` over positions whose target is not
 * `ignoreIndex`. yTrue holds token ids `[B, T]`; yPred holds logits / probabilities
 * `[B, T, V]` (argmax) or predicted ids `[B, T]`. `sampleWeight` may be per sequence `[B]`
 * or per token `[B, T]`. No tokens: `zeroDivision` (default 0).
 *
 * @example
 * ```ts
 * // 0 is padding: 3 real tokens, 2 right
 * tokenAccuracy.compute([[5, 6, 7, 0, 0]], [[5, 6, 1, 0, 3]], { ignoreIndex: 0 }); // 2/3
 * ```
 *
 * @group Text and sequences
 */
export const tokenAccuracy: MetricFactory<TokenAccuracyOptions, number, NumericInput, NumericInput, Metric<number>> =
  defineMetric((options: TokenAccuracyOptions) => new TokenAccuracy(options));

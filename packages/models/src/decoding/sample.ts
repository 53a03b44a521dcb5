import { ConfigError } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import type { IncrementalDecoder } from './incremental-decoder.js';
import { checkDecodeOptions, readRows, withState } from './internal/checks.js';

/**
 * Options of {@link sampleDecode}.
 *
 * @example
 * ```ts
 * const options: SampleDecodeOptions = { prompts: [[1]], maxLength: 50, rng: rng(7), temperature: 0.8, topK: 40, topP: 0.95 };
 * ```
 */
export interface SampleDecodeOptions {
  /** One prompt per row, all of the same length. Required. */
  prompts: readonly (readonly number[])[];
  /** The most tokens generated per row (the prompt not counted). Required, a positive integer. */
  maxLength: number;
  /** The source of every draw: the same seed gives the same tokens. Required. */
  rng: Rng;
  /** A row stops after producing it (kept in the output). Default `null`. */
  endToken?: number | null;
  /** Logits are divided by it before the softmax; below 1 sharpens, above 1 flattens. A positive number. Default `1`. */
  temperature?: number;
  /** Keep only the `topK` most likely tokens (ties broken by the lower id). Default `0`: all. */
  topK?: number;
  /**
   * Nucleus sampling (Holtzman et al. 2019, https://arxiv.org/abs/1904.09751): keep the most
   * likely tokens whose probabilities sum to at least `topP`, in (0, 1]. Default `1`: all.
   */
  topP?: number;
}

/**
 * The tokens one sampling step may draw and their probabilities.
 *
 * @example
 * ```ts
 * const { ids, probs }: SamplingDistribution = samplingDistribution(logits, 1, 40, 0.95);
 * ```
 */
export interface SamplingDistribution {
  /** The kept token ids, most likely first. */
  ids: number[];
  /** Their probabilities, summing to 1. */
  probs: number[];
}

/**
 * The distribution one sampling step draws from, in float64: softmax of `logits / temperature`,
 * restricted to the top `topK` tokens, then to the smallest most-likely set whose mass reaches
 * `topP`, renormalized. Returns the kept token ids (most likely first) and their probabilities.
 *
 * @param logits - one row of logits.
 * @param temperature - a positive number.
 * @param topK - `0` keeps every token.
 * @param topP - in (0, 1].
 * @returns `{ ids, probs }`, `probs` summing to 1.
 * @example
 * ```ts
 * samplingDistribution([2, 1, 0], 1, 2, 1); // ids [0, 1], probs [0.73, 0.27]
 * ```
 */
export function samplingDistribution(logits: ArrayLike<number>, temperature: number, topK: number, topP: number): SamplingDistribution {
  const order = Array.from({ length: logits.length }, (_, i) => i).sort((a, b) => logits[b]! - logits[a]! || a - b);
  const kept = topK > 0 ? order.slice(0, topK) : order;
  const max = logits[kept[0]!]! / temperature;
  const weights = kept.map((i) => Math.exp(logits[i]! / temperature - max));
  const total = weights.reduce((a, b) => a + b, 0);
  let probs = weights.map((w) => w / total);
  let n = probs.length;
  if (topP < 1) {
    let mass = 0;
    n = 0;
    while (n < probs.length && mass < topP) mass += probs[n++]!;
    const kept2 = probs.slice(0, n).reduce((a, b) => a + b, 0);
    probs = probs.slice(0, n).map((p) => p / kept2);
  }
  return { ids: kept.slice(0, n), probs };
}

/**
 * Sampling decoding: each step draws the next token from the model's distribution, shaped by
 * `temperature`, `topK` and `topP` (see {@link samplingDistribution}); every draw comes from
 * `rng`, so a seed reproduces the output. `topK: 1` is greedy decoding.
 *
 * @param decoder - a model's incremental decoder.
 * @param options - prompts, length, the `Rng`, end token, temperature, top-k, top-p.
 * @returns the generated tokens per row (without the prompt).
 * @throws ConfigError naming a bad option.
 * @example
 * ```ts
 * const [story] = sampleDecode(lm.decoder(), { prompts: [[1]], maxLength: 40, rng: rng(1), topK: 20, temperature: 0.9 });
 * ```
 */
export function sampleDecode<S>(decoder: IncrementalDecoder<S>, options: SampleDecodeOptions): number[][] {
  const unit = 'sampleDecode';
  const endToken = options.endToken ?? null;
  checkDecodeOptions(unit, decoder, options.prompts, options.maxLength, endToken);
  const temperature = options.temperature ?? 1;
  const topK = options.topK ?? 0;
  const topP = options.topP ?? 1;
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new ConfigError(`${unit}: temperature expected a positive number, got ${temperature}`);
  if (!Number.isInteger(topK) || topK < 0) throw new ConfigError(`${unit}: topK expected a non-negative integer (0 = all), got ${topK}`);
  if (!(topP > 0 && topP <= 1)) throw new ConfigError(`${unit}: topP expected a number in (0, 1], got ${topP}`);
  const out: number[][] = options.prompts.map(() => []);
  const rows = options.prompts.map((_, i) => i);
  return withState(decoder, rows, (initial, set) => {
    let state = initial;
    let live = rows;
    let feed: number[][] = options.prompts.map((p) => [...p]);
    for (let step = 0; step < options.maxLength; step++) {
      const result = decoder.step(state, feed);
      state = result.state;
      set(state);
      const next = readRows(result.logits).map((row) => {
        const { ids, probs } = samplingDistribution(row, temperature, topK, topP);
        const u = options.rng.uniform();
        let acc = 0;
        for (let i = 0; i < ids.length; i++) {
          acc += probs[i]!;
          if (u < acc) return ids[i]!;
        }
        return ids[ids.length - 1]!; // rounding left u above the last partial sum
      });
      next.forEach((t, i) => out[live[i]!]!.push(t));
      const keep = next.map((t, i) => (t === endToken ? -1 : i)).filter((i) => i >= 0);
      if (keep.length === 0 || step === options.maxLength - 1) break;
      if (keep.length < live.length) {
        state = decoder.select(state, keep);
        set(state);
        live = keep.map((i) => live[i]!);
      }
      feed = keep.map((i) => [next[i]!]);
    }
    return out;
  });
}

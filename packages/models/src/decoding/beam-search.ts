import { ConfigError } from '@tensorloom/core';
import type { IncrementalDecoder } from './incremental-decoder.js';
import { checkDecodeOptions, logSoftmax, readRows, withState } from './internal/checks.js';

/**
 * Options of {@link beamSearch}.
 *
 * @example
 * ```ts
 * const options: BeamSearchOptions = { prompts: [[bos]], beamWidth: 4, maxLength: 20, endToken: eos, lengthPenalty: 1 };
 * ```
 */
export interface BeamSearchOptions {
  /** One prompt per row, all of the same length. Required. */
  prompts: readonly (readonly number[])[];
  /** Hypotheses kept per row. Required, a positive integer. */
  beamWidth: number;
  /** The most tokens generated per hypothesis (the prompt not counted). Required, a positive integer. */
  maxLength: number;
  /** A hypothesis is complete once it produces it (kept in its tokens). Default `null`: every hypothesis runs to `maxLength`. */
  endToken?: number | null;
  /**
   * Hypotheses are ranked by `logProb / length^lengthPenalty` (`length` = generated tokens):
   * `0` ranks by the raw sum (favouring short outputs), larger values favour longer ones.
   * A finite number. Default `1`.
   */
  lengthPenalty?: number;
}

/**
 * One result of {@link beamSearch}.
 *
 * @example
 * ```ts
 * const best: BeamHypothesis = beamSearch(decoder, options)[0]![0]!;
 * ```
 */
export interface BeamHypothesis {
  /** The generated tokens (without the prompt), ending at the end token or at `maxLength`. */
  tokens: number[];
  /** The sum of the tokens' log-probabilities. */
  logProb: number;
  /** The ranking score `logProb / tokens.length^lengthPenalty`. */
  score: number;
}

interface Beam {
  row: number;
  tokens: number[];
  logProb: number;
}

/**
 * Beam search (as in Sutskever et al. 2014, https://arxiv.org/abs/1409.3215, with the length
 * normalization of Wu et al. 2016, https://arxiv.org/abs/1609.08144): each row keeps the
 * `beamWidth` most likely unfinished hypotheses; a hypothesis that produces `endToken` among
 * the top `beamWidth` candidates of a step is complete. A row stops when it has `beamWidth`
 * complete hypotheses and no live one can still rank above them, or at `maxLength`. With
 * `beamWidth: 1` it is greedy decoding.
 *
 * @param decoder - a model's incremental decoder.
 * @param options - prompts, width, maximum length, end token, length penalty.
 * @returns per row, up to `beamWidth` hypotheses sorted by `score`, best first.
 * @throws ConfigError naming a bad option.
 * @example
 * ```ts
 * const [beams] = beamSearch(lm.decoder(), { prompts: [[1, 2]], beamWidth: 3, maxLength: 8, endToken: 0 });
 * console.log(beams[0]!.tokens, beams[0]!.score);
 * ```
 */
export function beamSearch<S>(decoder: IncrementalDecoder<S>, options: BeamSearchOptions): BeamHypothesis[][] {
  const unit = 'beamSearch';
  const endToken = options.endToken ?? null;
  checkDecodeOptions(unit, decoder, options.prompts, options.maxLength, endToken);
  const width = options.beamWidth;
  const alpha = options.lengthPenalty ?? 1;
  if (!Number.isInteger(width) || width <= 0) throw new ConfigError(`${unit}: beamWidth expected a positive integer, got ${width}`);
  if (!Number.isFinite(alpha)) throw new ConfigError(`${unit}: lengthPenalty expected a finite number, got ${alpha}`);
  const score = (logProb: number, length: number): number => logProb / Math.pow(length, alpha);
  const rowCount = options.prompts.length;
  const finished: BeamHypothesis[][] = options.prompts.map(() => []);
  const done = new Array<boolean>(rowCount).fill(false);
  const rows = options.prompts.map((_, i) => i);

  return withState(decoder, rows, (initial, set) => {
    let state = initial;
    let alive: Beam[] = rows.map((row) => ({ row, tokens: [], logProb: 0 }));
    let feed: number[][] = options.prompts.map((p) => [...p]);
    for (let step = 0; step < options.maxLength; step++) {
      const result = decoder.step(state, feed);
      state = result.state;
      set(state);
      const logProbs = readRows(result.logits).map(logSoftmax);
      const last = step === options.maxLength - 1;
      const next: { parent: number; beam: Beam }[] = [];
      for (let row = 0; row < rowCount; row++) {
        if (done[row]) continue;
        // Candidates: each live beam's best 2·width tokens (enough to refill the beam after
        // up to width of them end), merged and sorted by total log-probability.
        const candidates: { parent: number; token: number; logProb: number }[] = [];
        alive.forEach((beam, parent) => {
          if (beam.row !== row) return;
          const lp = logProbs[parent]!;
          const order = Array.from({ length: lp.length }, (_, i) => i).sort((a, b) => lp[b]! - lp[a]! || a - b);
          for (const token of order.slice(0, 2 * width)) candidates.push({ parent, token, logProb: beam.logProb + lp[token]! });
        });
        candidates.sort((a, b) => b.logProb - a.logProb || a.parent - b.parent || a.token - b.token);
        let kept = 0;
        for (let rank = 0; rank < candidates.length && kept < width; rank++) {
          const c = candidates[rank]!;
          const tokens = [...alive[c.parent]!.tokens, c.token];
          if (c.token === endToken) {
            if (rank < width) finished[row]!.push({ tokens, logProb: c.logProb, score: score(c.logProb, tokens.length) });
          } else if (last) {
            finished[row]!.push({ tokens, logProb: c.logProb, score: score(c.logProb, tokens.length) });
            kept++;
          } else {
            next.push({ parent: c.parent, beam: { row, tokens, logProb: c.logProb } });
            kept++;
          }
        }
        finished[row]!.sort((a, b) => b.score - a.score);
        const best = next.filter((n) => n.beam.row === row)[0];
        const full = finished[row]!.length >= width;
        done[row] = last || best === undefined || (full && score(best.beam.logProb, step + 1) <= finished[row]![width - 1]!.score);
      }
      const live = next.filter((n) => !done[n.beam.row]);
      if (live.length === 0) break;
      state = decoder.select(state, live.map((n) => n.parent));
      set(state);
      alive = live.map((n) => n.beam);
      feed = alive.map((b) => [b.tokens[b.tokens.length - 1]!]);
    }
    return finished.map((f) => f.slice(0, width));
  });
}

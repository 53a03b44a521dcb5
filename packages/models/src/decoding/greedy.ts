import type { IncrementalDecoder } from './incremental-decoder.js';
import { argmax, checkDecodeOptions, readRows, withState } from './internal/checks.js';

/**
 * Options of {@link greedyDecode}.
 *
 * @example
 * ```ts
 * const options: GreedyDecodeOptions = { prompts: [[bos]], maxLength: 20, endToken: eos };
 * ```
 */
export interface GreedyDecodeOptions {
  /** One prompt per row, all of the same length (for an encoder–decoder: `[[startToken], ...]`, one per source row). Required. */
  prompts: readonly (readonly number[])[];
  /** The most tokens generated per row (the prompt not counted). Required, a positive integer. */
  maxLength: number;
  /** A row stops after producing it (it is kept in the output). Default `null`: run to `maxLength`. */
  endToken?: number | null;
}

/**
 * Greedy decoding: each step appends the most likely next token (the first on ties).
 * Rows that produced `endToken` leave the batch, so later steps compute only the live rows.
 *
 * @param decoder - a model's incremental decoder (e.g. `lm.decoder()`).
 * @param options - prompts, maximum length, end token.
 * @returns the generated tokens per row (without the prompt), each ending at `endToken`
 *   or at `maxLength` tokens.
 * @throws ConfigError naming a bad option (empty or ragged prompts, a token outside the vocabulary).
 * @example
 * ```ts
 * const [tokens] = greedyDecode(lm.decoder(), { prompts: [[1, 2, 3]], maxLength: 10, endToken: 0 });
 * ```
 */
export function greedyDecode<S>(decoder: IncrementalDecoder<S>, options: GreedyDecodeOptions): number[][] {
  const endToken = options.endToken ?? null;
  checkDecodeOptions('greedyDecode', decoder, options.prompts, options.maxLength, endToken);
  const out: number[][] = options.prompts.map(() => []);
  const rows = options.prompts.map((_, i) => i);
  return withState(decoder, rows, (initial, set) => {
    let state = initial;
    let live = rows; // original row of each state row
    let feed: number[][] = options.prompts.map((p) => [...p]);
    for (let step = 0; step < options.maxLength; step++) {
      const result = decoder.step(state, feed);
      state = result.state;
      set(state);
      const logits = readRows(result.logits);
      const next = logits.map(argmax);
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

// Test helpers of the decoding tests: a decoder whose logits depend on the last token only
// (a Markov chain), so results can be enumerated by hand. Not exported from the package.
import { tf } from '@tensorloom/core';
import type { IncrementalDecoder } from '../incremental-decoder.js';

/** State: the last token of each row. */
export type MarkovState = { last: number[]; steps: number };

/** `table[t]` are the logits after token `t`; `calls` counts step calls. */
export function markovDecoder(table: readonly (readonly number[])[]): IncrementalDecoder<MarkovState> & { calls: number } {
  const d = {
    calls: 0,
    vocabSize: table[0]!.length,
    sourceRows: null,
    init: (rows: readonly number[]): MarkovState => ({ last: rows.map(() => -1), steps: 0 }),
    step: (state: MarkovState, tokens: readonly (readonly number[])[]) => {
      d.calls++;
      const last = tokens.map((r) => r[r.length - 1]!);
      return { logits: tf.tensor2d(last.map((t) => [...table[t]!]), [last.length, table[0]!.length]), state: { last, steps: state.steps + 1 } };
    },
    select: (state: MarkovState, rows: readonly number[]): MarkovState => ({ last: rows.map((r) => state.last[r]!), steps: state.steps }),
    dispose: (): void => {},
  };
  return d;
}

/** Every continuation of `maxLength` tokens or fewer ending at `end`, with its log-probability. */
export function enumerate(table: readonly (readonly number[])[], start: number, maxLength: number, end: number | null): { tokens: number[]; logProb: number }[] {
  const logSoftmax = (row: readonly number[]): number[] => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    return row.map((v) => v - lse);
  };
  const out: { tokens: number[]; logProb: number }[] = [];
  const walk = (tokens: number[], logProb: number, last: number): void => {
    const lp = logSoftmax(table[last]!);
    lp.forEach((l, t) => {
      const next = [...tokens, t];
      if (t === end || next.length === maxLength) out.push({ tokens: next, logProb: logProb + l });
      else walk(next, logProb + l, t);
    });
  };
  walk([], 0, start);
  return out;
}

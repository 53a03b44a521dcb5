import { ConfigError, ShapeError } from '@tensorloom/core';
import type { TextBatch, TokenSequence } from '../text/types.js';

/** Splits a string into Unicode code points (not UTF-16 units). */
export function characters(s: string): string[] {
  return Array.from(s);
}

/** Splits a string on runs of whitespace, dropping empty ends. */
export function words(s: string): string[] {
  const trimmed = s.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x;
}

function checkTokens(unit: string, arg: string, seq: readonly unknown[], index: number): TokenSequence {
  for (const t of seq) {
    if (typeof t !== 'string' && typeof t !== 'number') {
      throw new ShapeError(`${unit}: ${arg} expected tokens (strings or numbers) in sequence ${index}, got ${describe(t)}`);
    }
  }
  return seq as TokenSequence;
}

/**
 * Reads a {@link TextBatch} into token sequences: strings through `split`, token arrays as
 * they are. An array of numbers is one sequence.
 */
export function toSequences(unit: string, arg: string, batch: TextBatch, split: (s: string) => string[]): TokenSequence[] {
  if (typeof batch === 'string') return [split(batch)];
  if (!Array.isArray(batch)) throw new ShapeError(`${unit}: ${arg} expected a string or an array of sequences, got ${describe(batch)}`);
  if (batch.length > 0 && batch.every((x) => typeof x === 'number')) return [batch as readonly number[]];
  return batch.map((item: unknown, i) => {
    if (typeof item === 'string') return split(item);
    if (Array.isArray(item)) return checkTokens(unit, arg, item, i);
    throw new ShapeError(`${unit}: ${arg} expected a string or a token array at index ${i}, got ${describe(item)}`);
  });
}

/** Checks that two batches pair up. */
export function checkPairs(unit: string, refs: readonly unknown[], hyps: readonly unknown[]): void {
  if (refs.length !== hyps.length) {
    throw new ShapeError(`${unit}: yPred expected ${refs.length} sequences (as many as yTrue), got ${hyps.length}`);
  }
}

/** Token identity: a string token and a number token never match ('1' ≠ 1). */
export function tokenKey(t: string | number): string {
  return typeof t === 'number' ? `#${t}` : `s${t}`;
}

/**
 * Levenshtein distance: the fewest insertions, deletions and substitutions (each costing 1)
 * turning `a` into `b`. Two rows of the dynamic-programming table, O(|a|·|b|) time.
 */
export function levenshtein(a: TokenSequence, b: TokenSequence): number {
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  let prev = new Int32Array(b.length + 1);
  let curr = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    curr[0] = i;
    const ai = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (ai === b[j - 1] ? 0 : 1);
      curr[j] = Math.min(sub, prev[j] + 1, curr[j - 1] + 1);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length];
}

/** Rejects `sampleWeight` for the text metrics. */
export function noWeights(unit: string, sampleWeight: unknown): void {
  if (sampleWeight !== undefined) {
    throw new ConfigError(`${unit}: sampleWeight expected undefined (text metrics take no sample weights), got ${describe(sampleWeight)}`);
  }
}

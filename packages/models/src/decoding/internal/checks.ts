// Option checks shared by the decoding functions. Not exported from the package.
import type { tf } from '@tensorloom/core';
import { ConfigError } from '@tensorloom/core';
import type { IncrementalDecoder } from '../incremental-decoder.js';

/** Checks prompts, maxLength and endToken against the decoder; `unit` names the caller. */
export function checkDecodeOptions<S>(
  unit: string,
  decoder: IncrementalDecoder<S>,
  prompts: readonly (readonly number[])[],
  maxLength: number,
  endToken: number | null,
): void {
  if (prompts.length === 0) throw new ConfigError(`${unit}: prompts expected at least one row, got 0`);
  if (decoder.sourceRows !== null && prompts.length !== decoder.sourceRows) {
    throw new ConfigError(`${unit}: prompts expected ${decoder.sourceRows} rows (one per source row), got ${prompts.length}`);
  }
  const length = prompts[0]!.length;
  prompts.forEach((p, i) => {
    if (p.length === 0 || p.length !== length) {
      throw new ConfigError(`${unit}: prompts[${i}] expected ${length === 0 ? 'at least one token' : `${length} tokens like prompts[0]`}, got ${p.length}`, {
        help: 'every row starts from a prompt of the same length (a start token for an encoder–decoder)',
      });
    }
    p.forEach((t, j) => checkToken(unit, `prompts[${i}][${j}]`, t, decoder.vocabSize));
  });
  if (!Number.isInteger(maxLength) || maxLength <= 0) throw new ConfigError(`${unit}: maxLength expected a positive integer, got ${maxLength}`);
  if (endToken !== null) checkToken(unit, 'endToken', endToken, decoder.vocabSize);
}

/** Throws a ConfigError unless `t` is an integer in [0, vocab). */
export function checkToken(unit: string, what: string, t: number, vocab: number): void {
  if (!Number.isInteger(t) || t < 0 || t >= vocab) throw new ConfigError(`${unit}: ${what} expected an integer in [0, ${vocab}), got ${t}`);
}

/** Reads logits `[rows, V]` to the host as one Float32Array per row and disposes them. */
export function readRows(logits: tf.Tensor2D): Float32Array[] {
  const [rows, v] = logits.shape;
  const flat = logits.dataSync() as Float32Array;
  logits.dispose();
  return Array.from({ length: rows }, (_, r) => flat.subarray(r * v, (r + 1) * v));
}

/** The index of the largest value (the first one on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** `log softmax` in float64. */
export function logSoftmax(values: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]!);
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i]! - max);
  const lse = max + Math.log(sum);
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]! - lse;
  return out;
}

/** Runs `body` with a fresh decoder state and always disposes the last state. */
export function withState<S, T>(decoder: IncrementalDecoder<S>, rows: readonly number[], body: (state: S, set: (s: S) => void) => T): T {
  let state = decoder.init(rows);
  try {
    return body(state, (s) => {
      state = s;
    });
  } finally {
    decoder.dispose(state);
  }
}

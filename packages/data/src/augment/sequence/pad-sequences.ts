import { ConfigError, describeValue, finiteNumber, intInRange, oneOf, tf } from '@tensorloom/core';

/**
 * Options of {@link padSequences}.
 *
 * @example
 * ```ts
 * augment.padSequences([[1, 2, 3], [4]], { maxLen: 2 });
 * // ids [2, 3, 0, 4] (pre-truncated, pre-padded), shape [2, 2], lengths [2, 1]
 * ```
 */
export interface PadSequencesConfig {
  /** Length of every row. Default: the longest sequence. */
  maxLen?: number;
  /** Where padding goes: `'pre'` (before the tokens) or `'post'` (after). Default `'pre'`, as Keras. */
  padding?: 'pre' | 'post';
  /** Which end of a too-long sequence is cut: `'pre'` (keep the last tokens) or `'post'`. Default `'pre'`, as Keras. */
  truncating?: 'pre' | 'post';
  /** The padding id (an int32). Default `0`. */
  value?: number;
}

/**
 * Token id sequences padded or cut to one length: a row-major `[n, maxLen]` int32 matrix.
 *
 * @example
 * ```ts
 * const { ids, shape, lengths } = augment.padSequences([[1, 2], [3]], { padding: 'post' });
 * ```
 */
export interface PaddedSequences {
  /** The ids, row-major `[n, maxLen]`. */
  ids: Int32Array;
  /** `[n, maxLen]`. */
  shape: [number, number];
  /** The number of real (not padding) tokens in each row, after truncation. */
  lengths: Int32Array;
}

/**
 * Pads and truncates token id sequences to one length (Keras' `pad_sequences`).
 *
 * A pure function over any iterable of id lists (arrays, typed arrays); ids must be int32
 * integers. Use {@link padSequencesTensor} for a tensor.
 *
 * @param sequences - the token id lists.
 * @param config - length, sides and padding id.
 * @returns the padded ids with their shape and the true lengths.
 * @throws {@link @tensorloom/core!ConfigError} for bad options or an id that is not an int32 integer.
 * @example
 * ```ts
 * augment.padSequences([[1, 2, 3], [4]], { maxLen: 2 });
 * // ids [2, 3, 0, 4] (pre-truncated, pre-padded), shape [2, 2], lengths [2, 1]
 * ```
 */
export function padSequences(sequences: Iterable<ArrayLike<number>>, config: PadSequencesConfig = {}): PaddedSequences {
  const unit = 'padSequences';
  const padding = oneOf(unit, 'padding', config.padding ?? 'pre', ['pre', 'post'] as const);
  const truncating = oneOf(unit, 'truncating', config.truncating ?? 'pre', ['pre', 'post'] as const);
  const value = checkInt32(unit, 'value', config.value ?? 0);
  if (sequences === null || typeof (sequences as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== 'function') {
    throw new ConfigError(`${unit}: sequences expected an iterable of id lists, got ${describeValue(sequences)}`);
  }
  const rows = [...sequences];
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new ConfigError(`${unit}: sequences[${i}] expected a list of token ids, got ${describeValue(row)}`);
    }
  });
  const maxLen =
    config.maxLen === undefined ? rows.reduce((m, row) => Math.max(m, row.length), 0) : intInRange(unit, 'maxLen', config.maxLen, 0);
  const ids = new Int32Array(rows.length * maxLen).fill(value);
  const lengths = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    const kept = Math.min(row.length, maxLen);
    const from = truncating === 'pre' ? row.length - kept : 0; // first source index kept
    const to = padding === 'pre' ? maxLen - kept : 0; // first destination column
    for (let j = 0; j < kept; j++) {
      const id = row[from + j];
      if (typeof id !== 'number' || !Number.isInteger(id) || id < -2147483648 || id > 2147483647) {
        throw new ConfigError(`${unit}: sequences[${i}][${from + j}] expected an int32 token id, got ${describeValue(id)}`);
      }
      ids[i * maxLen + to + j] = id;
    }
    lengths[i] = kept;
  });
  return { ids, shape: [rows.length, maxLen], lengths };
}

/**
 * {@link padSequences} as an int32 tensor `[n, maxLen]`; the caller owns (and disposes) it.
 *
 * @param sequences - the token id lists.
 * @param config - length, sides and padding id.
 * @returns an int32 `tf.Tensor2D` of shape `[n, maxLen]`.
 * @throws {@link @tensorloom/core!ConfigError} as {@link padSequences}.
 * @example
 * ```ts
 * const batch = augment.padSequencesTensor([[5, 6, 7], [8]], { padding: 'post' }); // [[5, 6, 7], [8, 0, 0]]
 * ```
 */
export function padSequencesTensor(sequences: Iterable<ArrayLike<number>>, config: PadSequencesConfig = {}): tf.Tensor2D {
  const { ids, shape } = padSequences(sequences, config);
  return tf.tensor2d(ids, shape, 'int32');
}

function checkInt32(unit: string, arg: string, value: unknown): number {
  const v = finiteNumber(unit, arg, value);
  if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
    throw new ConfigError(`${unit}: ${arg} expected an int32 integer, got ${v}`);
  }
  return v;
}

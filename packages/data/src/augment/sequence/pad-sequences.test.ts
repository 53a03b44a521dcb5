import { describe, expect, it } from 'vitest';
import { expectNoLeaks } from '@tensorloom/core';
import { padSequences, padSequencesTensor } from './pad-sequences.js';

describe('padSequences', () => {
  const seqs = [[1, 2, 3, 4], [5], [6, 7]];

  it.each([
    ['pre', 'pre', [2, 3, 4, 0, 0, 5, 0, 6, 7]],
    ['post', 'pre', [2, 3, 4, 5, 0, 0, 6, 7, 0]],
    ['pre', 'post', [1, 2, 3, 0, 0, 5, 0, 6, 7]],
    ['post', 'post', [1, 2, 3, 5, 0, 0, 6, 7, 0]],
  ] as const)('pads %s and truncates %s to maxLen 3 (Keras pad_sequences, by hand)', (padding, truncating, ids) => {
    const out = padSequences(seqs, { maxLen: 3, padding, truncating });
    expect(Array.from(out.ids)).toEqual(ids);
    expect(out.shape).toEqual([3, 3]);
    expect(Array.from(out.lengths)).toEqual([3, 1, 2]);
  });

  it('pads to the longest sequence with a chosen id by default length, from any iterable', () => {
    function* gen(): Generator<Int32Array> {
      yield Int32Array.from([9]);
      yield Int32Array.from([8, 7, 6]);
    }
    const out = padSequences(gen(), { value: -1, padding: 'post' });
    expect(Array.from(out.ids)).toEqual([9, -1, -1, 8, 7, 6]);
    expect(out.shape).toEqual([2, 3]);
  });

  it('handles empty input and empty sequences', () => {
    expect(padSequences([]).shape).toEqual([0, 0]);
    const out = padSequences([[], [1]]);
    expect(Array.from(out.ids)).toEqual([0, 1]);
    expect(Array.from(out.lengths)).toEqual([0, 1]);
  });

  it('makes an int32 tensor [n, maxLen] that the caller owns', async () => {
    const t = await expectNoLeaks(() => padSequencesTensor([[5, 6, 7], [8]], { padding: 'post' }), 'padSequencesTensor');
    expect(t.dtype).toBe('int32');
    expect(t.arraySync()).toEqual([[5, 6, 7], [8, 0, 0]]);
    t.dispose();
  });

  it('checks its options and ids', () => {
    expect(() => padSequences(seqs, { padding: 'both' as 'pre' })).toThrow(
      "padSequences: padding expected one of 'pre', 'post', got 'both'",
    );
    expect(() => padSequences(seqs, { maxLen: -1 })).toThrow('padSequences: maxLen expected an integer >= 0, got -1');
    expect(() => padSequences(seqs, { value: 0.5 })).toThrow('padSequences: value expected an int32 integer, got 0.5');
    expect(() => padSequences([[1, 2.5]])).toThrow('padSequences: sequences[0][1] expected an int32 token id, got 2.5');
    expect(() => padSequences([[1], 7 as unknown as number[]])).toThrow(
      'padSequences: sequences[1] expected a list of token ids, got 7',
    );
    expect(() => padSequences(5 as unknown as number[][])).toThrow(
      'padSequences: sequences expected an iterable of id lists, got 5',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ShapeError } from '@tensorloom/core';
import { editDistance } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

describe('editDistance', () => {
  it('Levenshtein distances worked by hand', () => {
    // kitten → sitten (sub) → sittin (sub) → sitting (insert): 3
    expect(editDistance.compute('kitten', 'sitting')).toBe(3);
    expect(editDistance.compute('flaw', 'lawn')).toBe(2); // delete f, insert n
    expect(editDistance.compute('', 'abc')).toBe(3);
    expect(editDistance.compute('abc', '')).toBe(3);
    expect(editDistance.compute('same', 'same')).toBe(0);
    // code points, not UTF-16 units: one emoji is one token
    expect(editDistance.compute('a😀b', 'ab')).toBe(1);
    // token ids and word tokens
    expect(editDistance.compute([[1, 2, 3]], [[1, 3]])).toBe(1);
    expect(editDistance.compute([1, 2, 3], [3, 2, 1])).toBe(2);
    expect(editDistance.compute('the cat sat', 'the cat sat down', { split: 'words' })).toBe(1);
    // mean over pairs (3 + 0) / 2, or the sum
    expect(editDistance.compute(['kitten', 'x'], ['sitting', 'x'])).toBe(1.5);
    expect(editDistance.compute(['kitten', 'x'], ['sitting', 'x'], { reduction: 'sum' })).toBe(3);
    expect(editDistance.compute([], [])).toBeNaN();
  });

  it('merges exactly and checks pairing', () => {
    const batches = [
      { yTrue: ['kitten'], yPred: ['sitting'] },
      { yTrue: ['flaw', 'abc'], yPred: ['lawn', 'abd'] },
    ];
    const { single, merged } = singleAndMerged(() => editDistance(), batches);
    expect(single).toBe(2); // (3 + 2 + 1) / 3
    expect(merged).toBe(single);
    expect(() => editDistance.compute(['a', 'b'], ['a'])).toThrowError(
      new ShapeError("EditDistance 'editDistance': yPred expected 2 sequences (as many as yTrue), got 1"),
    );
    expect(() => editDistance.compute([['a', {} as never]], [['a']])).toThrowError(
      "EditDistance 'editDistance': yTrue expected tokens (strings or numbers) in sequence 0, got object",
    );
  });
});

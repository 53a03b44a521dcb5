import { describe, expect, it } from 'vitest';
import { tokenAccuracy } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

describe('tokenAccuracy', () => {
  it('skips padding; ids or logits', () => {
    // 3 real tokens (5, 6, 7), 2 right; padded positions do not count even when "right"
    expect(tokenAccuracy.compute([[5, 6, 7, 0, 0]], [[5, 6, 1, 0, 3]], { ignoreIndex: 0 })).toBeCloseTo(2 / 3, 12);
    // without ignoreIndex every position counts: 3 of 5
    expect(tokenAccuracy.compute([[5, 6, 7, 0, 0]], [[5, 6, 1, 0, 3]])).toBe(0.6);
    // logits [B, T, V]: argmax [[1, 0, 2]] vs targets [[1, 2, -100]] → 1 of 2
    const logits = [[[0, 3, 1], [2, 0, 1], [0, 0, 9]]];
    expect(tokenAccuracy.compute([[1, 2, -100]], logits, { ignoreIndex: -100 })).toBe(0.5);
    // a [T]-sequence made of 1 and padding 0 must not be read as one-hot (it would be by `accuracy`)
    expect(tokenAccuracy.compute([[1, 0, 0]], [[1, 0, 0]], { ignoreIndex: 0 })).toBe(1);
    // per-sequence weights
    expect(tokenAccuracy.compute([[1, 2], [3, 4]], [[1, 2], [0, 0]], { sampleWeight: [1, 3] })).toBe(0.25);
    expect(tokenAccuracy.compute([[0]], [[0]], { ignoreIndex: 0 })).toBe(0);
  });

  it('merges exactly and only with the same padding id', () => {
    const batches = [
      { yTrue: [[5, 6, 7, 0]], yPred: [[5, 6, 1, 0]] },
      { yTrue: [[8, 0]], yPred: [[8, 2]] },
    ];
    const { single, merged } = singleAndMerged(() => tokenAccuracy({ ignoreIndex: 0 }), batches);
    expect(single).toBe(0.75);
    expect(merged).toBe(single);
    expect(() => tokenAccuracy({ ignoreIndex: 0 }).merge(tokenAccuracy({ ignoreIndex: -100 }))).toThrowError(
      /TokenAccuracy 'tokenAccuracy': other expected the configuration/,
    );
    expect(() => tokenAccuracy({ ignoreIndex: NaN })).toThrowError("TokenAccuracy 'tokenAccuracy': ignoreIndex expected a finite number, got NaN");
  });
});

import { describe, expect, it } from 'vitest';
import { cer } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// CER = Σ edits / Σ reference characters (torchmetrics CharErrorRate, jiwer); worked by hand.
describe('cer', () => {
  it('sums edits and reference lengths over the corpus', () => {
    expect(cer.compute('kitten', 'sitting')).toBe(0.5); // 3 / 6
    expect(cer.compute(['hello', 'world'], ['helo', 'word'])).toBeCloseTo(0.2, 12); // (1 + 1) / 10
    // corpus-level, not a mean of sentence rates: (3 + 0) / (6 + 10), not (0.5 + 0) / 2
    expect(cer.compute(['kitten', 'abcdefghij'], ['sitting', 'abcdefghij'])).toBeCloseTo(3 / 16, 12);
    // spaces are characters; insertions can push CER above 1
    expect(cer.compute('a b', 'ab')).toBeCloseTo(1 / 3, 12);
    expect(cer.compute('ab', 'abcdef')).toBe(2);
    expect(cer.compute('', '')).toBeNaN();
    expect(cer.compute('', '', { zeroDivision: 0 })).toBe(0);
  });

  it('merges exactly', () => {
    const batches = [
      { yTrue: ['hello'], yPred: ['helo'] },
      { yTrue: 'world', yPred: 'word' },
    ];
    const { single, merged } = singleAndMerged(() => cer(), batches);
    expect(single).toBeCloseTo(0.2, 12);
    expect(merged).toBe(single);
  });
});

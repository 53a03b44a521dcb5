import { describe, expect, it } from 'vitest';
import { per } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// PER: edits over reference phonemes (ARPAbet symbols as in CMUdict); worked by hand.
describe('per', () => {
  it('phoneme edits over reference phonemes', () => {
    // HELLO: HH AH0 L OW1 vs HH EH1 L OW1 → 1 substitution of 4
    expect(per.compute('HH AH0 L OW1', 'HH EH1 L OW1')).toBe(0.25);
    // stress is part of the symbol: OW0 ≠ OW1
    expect(per.compute('L OW1', 'L OW0')).toBe(0.5);
    // corpus: HELLO has 1 substitution, CAT "K AE1 T" → "K AE1 T S T" has 2 insertions → 3 / (4 + 3)
    expect(per.compute(['HH AH0 L OW1', 'K AE1 T'], ['HH EH1 L OW1', 'K AE1 T S T'])).toBeCloseTo(3 / 7, 12);
    // phoneme ids
    expect(per.compute([[10, 11, 12]], [[10, 12]])).toBeCloseTo(1 / 3, 12);
  });

  it('merges exactly', () => {
    const batches = [
      { yTrue: ['HH AH0 L OW1'], yPred: ['HH EH1 L OW1'] },
      { yTrue: ['K AE1 T'], yPred: ['K AE1 T S T'] },
    ];
    const { single, merged } = singleAndMerged(() => per(), batches);
    expect(single).toBeCloseTo(3 / 7, 12);
    expect(merged).toBe(single);
  });
});

import { describe, expect, it } from 'vitest';
import { wer } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// WER = (S + D + I) / N over the corpus (torchmetrics WordErrorRate, jiwer); worked by hand.
describe('wer', () => {
  it('word edits over reference words', () => {
    // torchmetrics docstring: preds ["this is the prediction", "there is an other sample"],
    // target ["this is the reference", "there is another one"] → 0.5:
    // 1 substitution of 4; "an other sample" vs "another one": 2 subs + 1 insertion of 4 → 4/8
    expect(wer.compute(['this is the reference', 'there is another one'], ['this is the prediction', 'there is an other sample'])).toBe(0.5);
    expect(wer.compute(['this is the reference', 'another one'], ['this is a reference', 'another one'])).toBeCloseTo(1 / 6, 12);
    // extra whitespace does not make words
    expect(wer.compute('  the  cat ', 'the cat')).toBe(0);
    // all words wrong and one inserted: (2 + 1) / 2
    expect(wer.compute('a b', 'c d e')).toBe(1.5);
    // token arrays: one sentence of word ids
    expect(wer.compute([[1, 2, 3, 4]], [[1, 2, 4]])).toBe(0.25);
  });

  it('merges exactly', () => {
    const batches = [
      { yTrue: ['this is the reference'], yPred: ['this is the prediction'] },
      { yTrue: ['there is another one'], yPred: ['there is an other sample'] },
    ];
    const { single, merged } = singleAndMerged(() => wer(), batches);
    expect(single).toBe(0.5);
    expect(merged).toBe(single);
  });
});

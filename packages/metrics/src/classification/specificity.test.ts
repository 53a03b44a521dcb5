import { describe, expect, it } from 'vitest';
import { specificity } from '../index.js';
import { SKLEARN_LABELS, WEIGHTED_BINARY, singleAndMerged } from '../internal/testing.js';

// Specificity = tn / (tn + fp) per class (torchmetrics Specificity); references from
// scripts/reference_classification.py and by hand.
describe('specificity', () => {
  it('binary: tn / (tn + fp) with weights', () => {
    // negatives: w 2 (pred 1), 1 (pred 0), 1 (pred 1), 2 (pred 0) → tn 3, fp 3 → 0.5
    const { yTrue, yPred, sampleWeight } = WEIGHTED_BINARY;
    expect(specificity.compute(yTrue, yPred, { sampleWeight })).toBe(0.5);
    expect(specificity.compute([1, 1], [0.9, 0.2])).toBe(0); // no negatives: 0/0 → zeroDivision 0
    expect(specificity.compute([1, 1], [0.9, 0.2], { zeroDivision: 1 })).toBe(1);
  });

  it('multiclass averages', () => {
    // docstring set: tn per class [3, 2, 3], fp [1, 2, 1] → [3/4, 2/4, 3/4]; every average is 2/3
    const { yTrue, yPred } = SKLEARN_LABELS;
    const s = specificity({ numClasses: 3 });
    s.update(yTrue, yPred);
    expect(s.perClass()).toEqual([0.75, 0.5, 0.75]);
    for (const average of ['macro', 'micro', 'weighted'] as const) {
      expect(specificity.compute(yTrue, yPred, { numClasses: 3, average })).toBeCloseTo(2 / 3, 12);
    }
    // unequal supports: yTrue [0, 0, 0, 1, 2], yPred [0, 1, 0, 1, 1]:
    // tn [2, 2, 4], fp [0, 2, 0] → [1, 0.5, 1]; macro 5/6; micro 8/10; weighted (3·1 + 1·0.5 + 1·1)/5 = 0.9
    const yT = [0, 0, 0, 1, 2];
    const yP = [0, 1, 0, 1, 1];
    expect(specificity.compute(yT, yP, { numClasses: 3, average: 'macro' })).toBeCloseTo(5 / 6, 12);
    expect(specificity.compute(yT, yP, { numClasses: 3, average: 'micro' })).toBeCloseTo(0.8, 12);
    expect(specificity.compute(yT, yP, { numClasses: 3, average: 'weighted' })).toBeCloseTo(0.9, 12);
  });

  it('merges shards exactly', () => {
    const batches = [
      { yTrue: [0, 0, 0], yPred: [0, 1, 0] },
      { yTrue: [1, 2], yPred: [1, 1] },
    ];
    const { single, merged } = singleAndMerged(() => specificity({ numClasses: 3, average: 'micro' }), batches);
    expect(single).toBeCloseTo(0.8, 12);
    expect(merged).toBe(single);
  });
});

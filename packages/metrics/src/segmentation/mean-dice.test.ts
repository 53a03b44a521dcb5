import { describe, expect, it } from 'vitest';
import { meanDice } from '../index.js';
import { SEGMENTATION_P as P, SEGMENTATION_T as T } from '../internal/testing.js';
import { singleAndMerged } from '../internal/testing.js';

describe('meanDice', () => {
  it('averages Dice over present classes (scripts/reference_segmentation.py: 0.7520242914979757)', () => {
    expect(meanDice.compute(T, P, { numClasses: 4, ignoreIndex: 255, sampleWeight: [1, 2] })).toBeCloseTo(0.7520242914979757, 12);
    expect(meanDice.compute([[0, 0, 1, 1]], [[0, 1, 1, 1]], { numClasses: 2 })).toBeCloseTo((2 / 3 + 0.8) / 2, 12);
    expect(meanDice.compute([], [], { numClasses: 2 })).toBeNaN();
  });

  it('merges exactly', () => {
    const batches = [
      { yTrue: [T[0]], yPred: [P[0]], sampleWeight: [1] },
      { yTrue: [T[1]], yPred: [P[1]], sampleWeight: [2] },
    ];
    const { single, merged } = singleAndMerged(() => meanDice({ numClasses: 4, ignoreIndex: 255 }), batches);
    expect(merged).toBe(single);
    expect(single).toBeCloseTo(0.7520242914979757, 12);
  });
});

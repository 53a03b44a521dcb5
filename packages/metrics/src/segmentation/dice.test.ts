import { describe, expect, it } from 'vitest';
import { dice } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';
import { SEGMENTATION_P as P, SEGMENTATION_T as T } from '../internal/testing.js';

describe('dice', () => {
  it('per class 2tp / (2tp + fp + fn) (scripts/reference_segmentation.py)', () => {
    // matrix [[6, 1, 0, 0], [2, 7, 0, 0], [1, 2, 5, 0], 0]: [12/16, 14/19, 10/13, NaN]
    const r = dice.compute(T, P, { numClasses: 4, ignoreIndex: 255, sampleWeight: [1, 2] });
    expect(r[0]).toBeCloseTo(0.75, 12);
    expect(r[1]).toBeCloseTo(14 / 19, 12);
    expect(r[2]).toBeCloseTo(10 / 13, 12);
    expect(r[3]).toBeNaN();
    expect(dice.compute([[0, 0, 1, 1]], [[0, 1, 1, 1]], { numClasses: 2 })).toEqual([2 / 3, 0.8]);
    // Dice = 2·IoU / (1 + IoU) for class 1: IoU 2/3 → 0.8
  });

  it('merges exactly', () => {
    const batches = [
      { yTrue: [T[0]], yPred: [P[0]] },
      { yTrue: [T[1]], yPred: [P[1]] },
    ];
    const { single, merged } = singleAndMerged(() => dice({ numClasses: 4, ignoreIndex: 255 }), batches);
    expect(merged).toEqual(single);
  });
});

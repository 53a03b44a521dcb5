import { describe, expect, it } from 'vitest';
import { balancedAccuracy } from '../index.js';
import { WEIGHTED_BINARY, singleAndMerged } from '../internal/testing.js';

describe('balancedAccuracy', () => {
  it('matches sklearn.metrics.balanced_accuracy_score', () => {
    // docstring: y_true [0, 1, 0, 0, 1, 0], y_pred [0, 1, 0, 0, 0, 1] → (3/4 + 1/2) / 2 = 0.625;
    // adjusted: (0.625 − 0.5) / 0.5 = 0.25.
    expect(balancedAccuracy.compute([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1])).toBe(0.625);
    expect(balancedAccuracy.compute([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1], { adjusted: true })).toBe(0.25);
    // classes only predicted (never true) are left out: yTrue has only 0 and 1 of K = 3;
    // recalls 1/2 and 1/1 → 0.75.
    expect(balancedAccuracy.compute([0, 0, 1], [0, 2, 1], { numClasses: 3 })).toBe(0.75);
    // weighted binary set (reference script): recalls 3/6 and 4.5/5.5 → 0.659090...
    expect(
      balancedAccuracy.compute(WEIGHTED_BINARY.yTrue, WEIGHTED_BINARY.yPred, { sampleWeight: WEIGHTED_BINARY.sampleWeight }),
    ).toBeCloseTo(0.6590909090909092, 12);
  });

  it('edge cases: empty, single class, all wrong', () => {
    expect(balancedAccuracy.compute([], [])).toBe(0);
    expect(balancedAccuracy.compute([], [], { zeroDivision: NaN })).toBeNaN();
    expect(balancedAccuracy.compute([1, 1], [1, 1])).toBe(1);
    expect(balancedAccuracy.compute([1, 0], [0, 1])).toBe(0);
  });

  it('merges shards exactly', () => {
    const batches = [
      { yTrue: [0, 1, 0], yPred: [0, 1, 0] },
      { yTrue: [0, 1, 0], yPred: [0, 0, 1] },
    ];
    const { single, merged } = singleAndMerged(() => balancedAccuracy(), batches);
    expect(single).toBe(0.625);
    expect(merged).toBe(single);
  });
});

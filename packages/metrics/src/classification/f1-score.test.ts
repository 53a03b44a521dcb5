import { describe, expect, it } from 'vitest';
import { f1Score } from '../index.js';
import { SKLEARN_LABELS, WEIGHTED_BINARY, singleAndMerged } from '../internal/testing.js';

// References: scripts/reference_classification.py (numpy re-derivation of sklearn.metrics.f1_score).
describe('f1Score', () => {
  it('matches sklearn.metrics.f1_score on the docstring example', () => {
    // class 0: P 2/3, R 1 → F1 = 2·2 / (2·2 + 1 + 0) = 0.8; classes 1, 2: 0.
    const { yTrue, yPred } = SKLEARN_LABELS;
    expect(f1Score.compute(yTrue, yPred, { numClasses: 3, average: 'macro' })).toBeCloseTo(0.8 / 3, 12);
    expect(f1Score.compute(yTrue, yPred, { numClasses: 3, average: 'micro' })).toBeCloseTo(1 / 3, 12);
    expect(f1Score.compute(yTrue, yPred, { numClasses: 3, average: 'weighted' })).toBeCloseTo(0.8 / 3, 12);
    const f = f1Score({ numClasses: 3 });
    f.update(yTrue, yPred);
    expect(f.perClass().map((v) => +v.toFixed(12))).toEqual([0.8, 0, 0]);
  });

  it('binary with weights; micro F1 of single-label input equals accuracy', () => {
    // tp 4.5, fp 3, fn 1 → 9 / (9 + 3 + 1) = 9/13
    const { yTrue, yPred, sampleWeight } = WEIGHTED_BINARY;
    expect(f1Score.compute(yTrue, yPred, { sampleWeight })).toBeCloseTo(9 / 13, 12);
    // micro: (4.5 + 3) / 11.5 correct weight = 0.652173913...
    expect(f1Score.compute(yTrue, yPred, { sampleWeight, average: 'micro' })).toBeCloseTo(7.5 / 11.5, 12);
    // macro (reference script): (F1 class 0 = 6/10, class 1 = 9/13) / 2 = 0.646153846...
    expect(f1Score.compute(yTrue, yPred, { sampleWeight, average: 'macro' })).toBeCloseTo(0.6461538461538461, 12);
    // all wrong → 0; nothing predicted or present for class 1 → zeroDivision
    expect(f1Score.compute([1, 0], [0.1, 0.9])).toBe(0);
    expect(f1Score.compute([0, 0], [0.1, 0.2], { zeroDivision: 1 })).toBe(1);
  });

  it('merges shards exactly', () => {
    const batches = [
      { yTrue: [1, 0, 1], yPred: [0.9, 0.6, 0.4] },
      { yTrue: [1, 0], yPred: [0.8, 0.2] },
      { yTrue: [0, 1, 0], yPred: [0.55, 0.51, 0.1], sampleWeight: [1, 3, 2] },
    ];
    const { single, merged } = singleAndMerged(() => f1Score(), batches, 3);
    expect(merged).toBeCloseTo(single, 14);
  });
});

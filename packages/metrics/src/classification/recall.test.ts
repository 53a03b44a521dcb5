import { describe, expect, it } from 'vitest';
import { recall } from '../index.js';
import { SKLEARN_LABELS, WEIGHTED_BINARY, singleAndMerged } from '../internal/testing.js';

// References: scripts/reference_classification.py (numpy re-derivation of
// sklearn.metrics.recall_score), with the arithmetic in the comments.
describe('recall', () => {
  it('matches sklearn.metrics.recall_score on the docstring example', () => {
    // y_true [0, 1, 2, 0, 1, 2], y_pred [0, 2, 1, 0, 0, 1]: per class [2/2, 0/2, 0/2].
    const { yTrue, yPred } = SKLEARN_LABELS;
    expect(recall.compute(yTrue, yPred, { numClasses: 3, average: 'macro' })).toBeCloseTo(1 / 3, 12);
    expect(recall.compute(yTrue, yPred, { numClasses: 3, average: 'micro' })).toBeCloseTo(1 / 3, 12);
    expect(recall.compute(yTrue, yPred, { numClasses: 3, average: 'weighted' })).toBeCloseTo(1 / 3, 12);
    const r = recall({ numClasses: 3 });
    r.update(yTrue, yPred);
    expect(r.perClass()).toEqual([1, 0, 0]);
  });

  it('binary with weights; zeroDivision when no positives exist', () => {
    // tp 4.5, fn 1 → 4.5 / 5.5 = 0.818181...
    const { yTrue, yPred, sampleWeight } = WEIGHTED_BINARY;
    expect(recall.compute(yTrue, yPred, { sampleWeight })).toBeCloseTo(9 / 11, 12);
    // threshold 0.55: tp 1.5 → 1.5 / 5.5
    expect(recall.compute(yTrue, yPred, { sampleWeight, threshold: 0.55 })).toBeCloseTo(3 / 11, 12);
    // only negatives: recall of class 1 is 0/0
    expect(recall.compute([0, 0], [0.9, 0.1])).toBe(0);
    expect(recall.compute([0, 0], [0.9, 0.1], { zeroDivision: 1 })).toBe(1);
    expect(recall.compute([0, 0], [0.9, 0.1], { zeroDivision: NaN })).toBeNaN();
  });

  it('merges shards exactly', () => {
    const batches = [
      { yTrue: [0, 1, 2], yPred: [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]] },
      { yTrue: [2, 1], yPred: [[0.5, 0.4, 0.1], [0.2, 0.7, 0.1]], sampleWeight: [2, 1] },
    ];
    const { single, merged } = singleAndMerged(() => recall({ average: 'weighted' }), batches);
    // per class: 0 → 1/1, 1 → 1/2, 2 → 1/3 (weight 2 miss); weighted by support [1, 2, 3] → (1 + 1 + 1) / 6
    expect(single).toBeCloseTo(0.5, 12);
    expect(merged).toBeCloseTo(single, 14);
  });
});

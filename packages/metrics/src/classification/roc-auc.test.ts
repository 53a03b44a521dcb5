import { describe, expect, it } from 'vitest';
import { rocAuc } from '../index.js';
import { SKLEARN_SCORES, singleAndMerged } from '../internal/testing.js';

// References: scripts/reference_curves.py (numpy port of sklearn roc_auc_score /
// _average_binary_score, cross-checked by a brute-force pairwise AUC).
const { yTrue, yPred } = SKLEARN_SCORES;

describe('rocAuc', () => {
  it('binary, with ties counted as halves', () => {
    expect(rocAuc.compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(rocAuc.compute([0, 1, 1, 0, 1, 0], [0.3, 0.3, 0.7, 0.7, 0.9, 0.1])).toBeCloseTo(7 / 9, 12);
    // all scores tied: chance
    expect(rocAuc.compute([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    // perfectly inverted
    expect(rocAuc.compute([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])).toBe(0);
  });

  it('one-vs-rest macro / weighted / micro (sklearn multi_class="ovr")', () => {
    // per class [0.9375, 0.8125, 0.75] → macro 0.8333; micro (pooled) 0.826388...
    expect(rocAuc.compute(yTrue, yPred)).toBeCloseTo(0.8333333333333334, 12);
    expect(rocAuc.compute(yTrue, yPred, { average: 'micro' })).toBeCloseTo(0.826388888888889, 12);
    // equal prevalences: weighted = macro
    expect(rocAuc.compute(yTrue, yPred, { average: 'weighted' })).toBeCloseTo(0.8333333333333334, 12);
    // with sample weights [1, 2, 1, 1, 3, 1]: per class [0.8333, 0.7143, 0.55];
    // weighted by weighted prevalence [3, 2, 4] → 0.680952...
    const sampleWeight = [1, 2, 1, 1, 3, 1];
    expect(rocAuc.compute(yTrue, yPred, { sampleWeight })).toBeCloseTo(0.699206349206349, 12);
    expect(rocAuc.compute(yTrue, yPred, { sampleWeight, average: 'weighted' })).toBeCloseTo(0.680952380952381, 12);
    // one-hot targets read the same as class ids
    const oneHot = yTrue.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
    expect(rocAuc.compute(oneHot, yPred)).toBeCloseTo(0.8333333333333334, 12);
  });

  it('a class without positives is zeroDivision, skipped from the mean when NaN', () => {
    // class 2 never occurs: classes 0 and 1 only. Class 0 scores [0.7, 0.4 | 0.1, 0.2] → 1;
    // class 1 scores [0.2, 0.3 | 0.8, 0.3]: pairs won 1, ½, 1, 1 of 4 → 0.875.
    const t = [0, 0, 1, 1];
    const p = yPred.slice(0, 4);
    expect(rocAuc.compute(t, p)).toBeCloseTo((1 + 0.875) / 2, 12);
    expect(rocAuc.compute(t, p, { zeroDivision: 0 })).toBeCloseTo((1 + 0.875 + 0) / 3, 12);
    expect(rocAuc.compute([0, 0, 0], [0.1, 0.5, 0.2])).toBeNaN();
  });

  it('merges shards exactly', () => {
    const batches = [0, 2, 4].map((i) => ({ yTrue: yTrue.slice(i, i + 2), yPred: yPred.slice(i, i + 2) }));
    const { single, merged } = singleAndMerged(() => rocAuc(), batches, 2);
    expect(merged).toBe(single);
    expect(single).toBeCloseTo(0.8333333333333334, 12);
  });
});

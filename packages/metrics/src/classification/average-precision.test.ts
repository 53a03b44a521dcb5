import { describe, expect, it } from 'vitest';
import { averagePrecision } from '../index.js';
import { SKLEARN_SCORES, singleAndMerged } from '../internal/testing.js';

// References: sklearn.metrics.average_precision_score docstring (binary 0.83, multiclass 0.77)
// and scripts/reference_curves.py for the exact values.
const { yTrue, yPred } = SKLEARN_SCORES;

describe('averagePrecision', () => {
  it('matches the sklearn docstring examples', () => {
    // binary: thresholds 0.8 (P 1, R ½), 0.4 (P ½), 0.35 (P ⅔, R 1) → ½·1 + ½·⅔ = 5/6
    expect(averagePrecision.compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(5 / 6, 12);
    // multiclass macro: per class [5/6, 3/4, 3/4] → 7/9 (docstring prints 0.77)
    expect(averagePrecision.compute(yTrue, yPred)).toBeCloseTo(7 / 9, 12);
    expect(averagePrecision.compute(yTrue, yPred, { average: 'micro' })).toBeCloseTo(0.75, 12);
  });

  it('weights samples; weighted average by positives', () => {
    // reference script: weighted binary example 0.8253898635477582
    expect(
      averagePrecision.compute(
        [1, 1, 0, 1, 0, 0, 1, 0, 0, 1],
        [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.55, 0.5, 0.3, 0.2],
        { sampleWeight: [1, 2, 1, 1, 0.5, 1, 3, 1, 2, 1] },
      ),
    ).toBeCloseTo(0.8253898635477582, 12);
    // per class [2/3, 0.642857, 0.678571] weighted by positives [3, 2, 4] → 2/3
    expect(averagePrecision.compute(yTrue, yPred, { sampleWeight: [1, 2, 1, 1, 3, 1], average: 'weighted' })).toBeCloseTo(
      2 / 3,
      12,
    );
  });

  it('all wrong, perfect and empty', () => {
    // positives ranked last: thresholds 0.9 (P 0), 0.8 (P 0), 0.2 (P ⅓, R ½), 0.1 (P ½, R 1) → ½·⅓ + ½·½
    expect(averagePrecision.compute([0, 0, 1, 1], [0.9, 0.8, 0.2, 0.1])).toBeCloseTo(1 / 6 + 1 / 4, 12);
    expect(averagePrecision.compute([0, 1], [0.1, 0.9])).toBe(1);
    expect(averagePrecision.compute([], [])).toBe(0);
  });

  it('merges shards exactly', () => {
    const batches = [0, 2, 4].map((i) => ({ yTrue: yTrue.slice(i, i + 2), yPred: yPred.slice(i, i + 2) }));
    const { single, merged } = singleAndMerged(() => averagePrecision(), batches, 3);
    expect(merged).toBe(single);
  });
});

import { describe, expect, it } from 'vitest';
import { matthewsCorrelation } from '../index.js';
import { SKLEARN_LABELS, WEIGHTED_BINARY, singleAndMerged } from '../internal/testing.js';

describe('matthewsCorrelation', () => {
  it('matches sklearn.metrics.matthews_corrcoef', () => {
    // docstring ([+1, +1, +1, -1] vs [+1, -1, +1, +1], with −1 as class 0): tp 2, tn 0, fp 1, fn 1
    // → (0 − 1) / sqrt(3·3·1·1) = −1/3.
    expect(matthewsCorrelation.compute([1, 1, 1, 0], [1, 0, 1, 1])).toBeCloseTo(-1 / 3, 12);
    // weighted binary set: (4.5·3 − 3·1) / sqrt(7.5·5.5·6·4) = 10.5 / sqrt(990) = 0.333711906...
    expect(
      matthewsCorrelation.compute(WEIGHTED_BINARY.yTrue, WEIGHTED_BINARY.yPred, { sampleWeight: WEIGHTED_BINARY.sampleWeight }),
    ).toBeCloseTo(10.5 / Math.sqrt(990), 12);
    // multiclass (4 classes, one unseen; reference script): 0.2182178902359924 = sqrt(21)/21
    expect(matthewsCorrelation.compute([0, 0, 1, 1, 2, 2, 0, 1], [0, 1, 1, 0, 1, 0, 0, 1], { numClasses: 4 })).toBeCloseTo(
      0.2182178902359924,
      12,
    );
    // sklearn docstring multiclass set: covariance 0 → 0
    expect(matthewsCorrelation.compute(SKLEARN_LABELS.yTrue, SKLEARN_LABELS.yPred, { numClasses: 3 })).toBeCloseTo(0, 12);
  });

  it('perfect, inverted, and undefined (one class) cases', () => {
    expect(matthewsCorrelation.compute([0, 1, 0, 1], [0, 1, 0, 1])).toBe(1);
    expect(matthewsCorrelation.compute([0, 1, 0, 1], [1, 0, 1, 0])).toBe(-1);
    // predictions all one class: a zero factor in the denominator → zeroDivision (0 as sklearn)
    expect(matthewsCorrelation.compute([0, 1, 0, 1], [1, 1, 1, 1])).toBe(0);
    expect(matthewsCorrelation.compute([0, 1, 0, 1], [1, 1, 1, 1], { zeroDivision: NaN })).toBeNaN();
    expect(matthewsCorrelation.compute([], [])).toBe(0);
  });

  it('merges shards exactly', () => {
    const batches = [
      { yTrue: [1, 1], yPred: [1, 0] },
      { yTrue: [1, 0], yPred: [1, 1] },
    ];
    const { single, merged } = singleAndMerged(() => matthewsCorrelation(), batches);
    expect(single).toBeCloseTo(-1 / 3, 12);
    expect(merged).toBe(single);
  });
});

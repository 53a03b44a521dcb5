import { describe, expect, it } from 'vitest';
import { meanAbsolutePercentageError } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// References: sklearn.metrics.mean_absolute_percentage_error docstring and scripts/reference_regression.py.
describe('meanAbsolutePercentageError', () => {
  it('matches the sklearn docstring (a fraction, not percent)', () => {
    // (0.5/3 + 0.5/0.5 + 0 + 1/7) / 4 = 0.3273809523809524
    expect(meanAbsolutePercentageError.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(0.3273809523809524, 14);
    const m = meanAbsolutePercentageError();
    m.update([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]]);
    expect(m.perOutput()).toEqual([0.38095238095238093, 0.7222222222222222].map((v) => expect.closeTo(v, 14)));
    expect(
      meanAbsolutePercentageError.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8], { sampleWeight: [1, 2, 0.5, 3] }),
    ).toBeCloseTo(0.39926739926739924, 14);
  });

  it('a zero target divides by machine epsilon, as sklearn', () => {
    // (0.5 / 2.220446049250313e-16 + 0) / 2 = 1.125899906842624e15
    expect(meanAbsolutePercentageError.compute([0, 1], [0.5, 1])).toBeCloseTo(1.125899906842624e15, 0);
  });

  it('merges exactly', () => {
    const batches = [
      { yTrue: [3], yPred: [2.5] },
      { yTrue: [-0.5, 2, 7], yPred: [0, 2, 8] },
    ];
    const { single, merged } = singleAndMerged(() => meanAbsolutePercentageError(), batches);
    expect(merged).toBeCloseTo(single, 15);
  });
});

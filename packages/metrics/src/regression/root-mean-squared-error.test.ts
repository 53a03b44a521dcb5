import { describe, expect, it } from 'vitest';
import { rootMeanSquaredError } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// References: sklearn.metrics.root_mean_squared_error and scripts/reference_regression.py.
describe('rootMeanSquaredError', () => {
  it('root of the MSE per output, then averaged (sklearn)', () => {
    expect(rootMeanSquaredError.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(Math.sqrt(0.375), 14);
    // per output sqrt(5/12) and 1 → mean 0.8227486121839513 (not sqrt(0.70833))
    const r = rootMeanSquaredError.compute([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]]);
    expect(r).toBeCloseTo(0.8227486121839513, 14);
    expect(rootMeanSquaredError.compute([1], [1])).toBe(0);
  });

  it('streams exactly: the root is taken over the whole stream', () => {
    const batches = [
      { yTrue: [0, 0], yPred: [1, 1] },
      { yTrue: [0, 0], yPred: [3, 3] },
    ];
    const { single, merged } = singleAndMerged(() => rootMeanSquaredError(), batches);
    // sqrt((1 + 1 + 9 + 9) / 4) = sqrt(5), not the mean of per-batch RMSEs (2)
    expect(single).toBeCloseTo(Math.sqrt(5), 14);
    expect(merged).toBeCloseTo(single, 14);
  });
});

import { describe, expect, it } from 'vitest';
import { meanAbsoluteError } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// References: sklearn.metrics.mean_absolute_error docstring and scripts/reference_regression.py.
describe('meanAbsoluteError', () => {
  it('matches the sklearn docstring', () => {
    expect(meanAbsoluteError.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBe(0.5);
    const m = meanAbsoluteError();
    m.update([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]]);
    expect(m.perOutput()).toEqual([0.5, 1]);
    expect(m.result()).toBe(0.75);
    // weights [1, 2, 0.5, 3]: (0.5 + 1 + 0 + 3) / 6.5
    expect(meanAbsoluteError.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8], { sampleWeight: [1, 2, 0.5, 3] })).toBeCloseTo(
      0.6923076923076923,
      14,
    );
  });

  it('merges exactly', () => {
    const batches = [
      { yTrue: [3, -0.5], yPred: [2.5, 0] },
      { yTrue: [2, 7], yPred: [2, 8] },
    ];
    const { single, merged } = singleAndMerged(() => meanAbsoluteError(), batches);
    expect(single).toBe(0.5);
    expect(merged).toBe(single);
  });
});

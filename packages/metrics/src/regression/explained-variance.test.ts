import { describe, expect, it } from 'vitest';
import { explainedVariance } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// References: sklearn.metrics.explained_variance_score docstring and scripts/reference_regression.py.
const Y2 = [[0.5, 1], [-1, 1], [7, -6]];
const P2 = [[0, 2], [-1, 2], [8, -5]];

describe('explainedVariance', () => {
  it('matches the sklearn docstring', () => {
    // residuals [0.5, −0.5, 0, −1]: variance 0.3125; target variance 7.296875 → 1 − 0.3125 / 7.296875
    expect(explainedVariance.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(0.9571734475374732, 14);
    const m = explainedVariance();
    m.update(Y2, P2);
    expect(m.perOutput()).toEqual([0.967741935483871, 1].map((v) => expect.closeTo(v, 14)));
    expect(m.result()).toBeCloseTo(0.9838709677419355, 14);
    expect(explainedVariance.compute(Y2, P2, { multioutput: 'varianceWeighted' })).toBeCloseTo(0.9830508474576269, 14);
    expect(
      explainedVariance.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8], { sampleWeight: [1, 2, 0.5, 3] }),
    ).toBeCloseTo(0.9733076499724821, 14);
  });

  it('ignores a constant bias; constant targets follow force_finite', () => {
    expect(explainedVariance.compute([1, 2, 3], [2, 3, 4])).toBe(1);
    expect(explainedVariance.compute([2, 2], [2, 3])).toBe(0);
    expect(explainedVariance.compute([2, 2], [3, 3])).toBe(1);
    expect(explainedVariance.compute([], [])).toBeNaN();
  });

  it('streams exactly', () => {
    const batches = [
      { yTrue: Y2.slice(0, 2), yPred: P2.slice(0, 2) },
      { yTrue: Y2.slice(2), yPred: P2.slice(2) },
    ];
    const { single, merged } = singleAndMerged(() => explainedVariance(), batches);
    expect(merged).toBeCloseTo(single, 14);
    expect(single).toBeCloseTo(0.9838709677419355, 14);
    // large offset (reference script): 0.9523809523809523
    const y = [1, 2, 3, 4, 5, 6].map((v) => 1e8 + v);
    const r = [0.5, -0.5, 0.25, 0, -0.25, 0.5];
    const m = explainedVariance();
    y.forEach((v, i) => m.update([v], [v + r[i]]));
    expect(m.result()).toBeCloseTo(0.9523809523809523, 9);
  });
});

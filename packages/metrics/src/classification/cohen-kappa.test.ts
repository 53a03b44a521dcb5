import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tensorloom/core';
import { cohenKappa } from '../index.js';
import { WEIGHTED_BINARY, singleAndMerged } from '../internal/testing.js';

describe('cohenKappa', () => {
  it('matches sklearn.metrics.cohen_kappa_score', () => {
    // docstring: ["negative", "positive", "negative", "neutral", "positive"] vs
    // ["negative", "positive", "negative", "neutral", "negative"] = 0.6875; with the sorted labels
    // negative = 0, neutral = 1, positive = 2. By hand: observed disagreement 1 (of 5);
    // expected = Σ_{i≠j} t_i p_j / 5 with t = [2, 1, 2], p = [3, 1, 1] → (25 − 2·3 − 1·1 − 2·1)/5 = 16/5;
    // κ = 1 − 1 / 3.2 = 0.6875.
    const yTrue = [0, 2, 0, 1, 2];
    const yPred = [0, 2, 0, 1, 0];
    expect(cohenKappa.compute(yTrue, yPred, { numClasses: 3 })).toBeCloseTo(0.6875, 12);
    // linear / quadratic weights (reference script): 0.58333..., 0.5
    expect(cohenKappa.compute(yTrue, yPred, { numClasses: 3, weights: 'linear' })).toBeCloseTo(0.5833333333333333, 12);
    expect(cohenKappa.compute(yTrue, yPred, { numClasses: 3, weights: 'quadratic' })).toBeCloseTo(0.5, 12);
    // weighted binary set (reference script): 0.31343283582089554
    expect(
      cohenKappa.compute(WEIGHTED_BINARY.yTrue, WEIGHTED_BINARY.yPred, { sampleWeight: WEIGHTED_BINARY.sampleWeight }),
    ).toBeCloseTo(0.31343283582089554, 12);
    // 4 classes with an unseen one (reference script): 0.2, linear 0.1666..., quadratic 0.125
    const yT = [0, 0, 1, 1, 2, 2, 0, 1];
    const yP = [0, 1, 1, 0, 1, 0, 0, 1];
    expect(cohenKappa.compute(yT, yP, { numClasses: 4 })).toBeCloseTo(0.2, 12);
    expect(cohenKappa.compute(yT, yP, { numClasses: 4, weights: 'linear' })).toBeCloseTo(1 / 6, 12);
    expect(cohenKappa.compute(yT, yP, { numClasses: 4, weights: 'quadratic' })).toBeCloseTo(0.125, 12);
  });

  it('is NaN when undefined (a single class in both), as sklearn; zeroDivision overrides', () => {
    expect(cohenKappa.compute([1, 1, 1], [1, 1, 1])).toBeNaN();
    expect(cohenKappa.compute([1, 1, 1], [1, 1, 1], { zeroDivision: 0 })).toBe(0);
    expect(cohenKappa.compute([], [])).toBeNaN();
    expect(cohenKappa.compute([0, 1], [1, 0])).toBe(-1);
  });

  it('merges shards exactly and validates weights', () => {
    const batches = [
      { yTrue: [0, 2], yPred: [0, 2] },
      { yTrue: [0, 1, 2], yPred: [0, 1, 0] },
    ];
    const { single, merged } = singleAndMerged(() => cohenKappa({ numClasses: 3 }), batches);
    expect(single).toBeCloseTo(0.6875, 12);
    expect(merged).toBe(single);
    expect(() => cohenKappa({ weights: 'cubic' as never })).toThrowError(
      new ConfigError("CohenKappa 'cohenKappa': weights expected one of 'none', 'linear', 'quadratic', got 'cubic'"),
    );
  });
});

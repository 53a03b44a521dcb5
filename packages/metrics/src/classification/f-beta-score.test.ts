import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tensorloom/core';
import { fBetaScore, f1Score } from '../index.js';
import { SKLEARN_LABELS, WEIGHTED_BINARY, singleAndMerged } from '../internal/testing.js';

// References: scripts/reference_classification.py (numpy re-derivation of sklearn.metrics.fbeta_score).
describe('fBetaScore', () => {
  it('matches sklearn.metrics.fbeta_score on the docstring example (beta = 0.5)', () => {
    // class 0: tp 2, fp 1, fn 0 → 1.25·2 / (1.25·2 + 0.25·0 + 1) = 2.5 / 3.5 = 0.714285...
    const { yTrue, yPred } = SKLEARN_LABELS;
    expect(fBetaScore.compute(yTrue, yPred, { numClasses: 3, beta: 0.5, average: 'macro' })).toBeCloseTo(2.5 / 3.5 / 3, 12);
    expect(fBetaScore.compute(yTrue, yPred, { numClasses: 3, beta: 0.5, average: 'micro' })).toBeCloseTo(1 / 3, 12);
    expect(fBetaScore.compute(yTrue, yPred, { numClasses: 3, beta: 0.5, average: 'weighted' })).toBeCloseTo(
      0.2380952380952381,
      12,
    );
    // beta = 2: 5·2 / (5·2 + 4·0 + 1) = 10/11 for class 0 → macro 0.303030...
    expect(fBetaScore.compute(yTrue, yPred, { numClasses: 3, beta: 2 })).toBeCloseTo(10 / 11 / 3, 12);
  });

  it('binary beta = 2 with weights; beta = 1 equals f1Score', () => {
    // tp 4.5, fp 3, fn 1 → 5·4.5 / (5·4.5 + 4·1 + 3) = 22.5 / 29.5
    const { yTrue, yPred, sampleWeight } = WEIGHTED_BINARY;
    expect(fBetaScore.compute(yTrue, yPred, { sampleWeight, beta: 2 })).toBeCloseTo(22.5 / 29.5, 12);
    expect(fBetaScore.compute(yTrue, yPred, { sampleWeight })).toBe(f1Score.compute(yTrue, yPred, { sampleWeight }));
  });

  it('validates beta and merges only equal betas', () => {
    expect(() => fBetaScore({ beta: 0 })).toThrowError(new ConfigError("FBetaScore 'fBetaScore': beta expected a number > 0, got 0"));
    expect(() => fBetaScore({ beta: 2 }).merge(fBetaScore({ beta: 3 }))).toThrowError(/other expected the configuration/);
    const batches = [
      { yTrue: [1, 0, 1], yPred: [1, 1, 0] },
      { yTrue: [1, 1], yPred: [1, 0] },
    ];
    const { single, merged } = singleAndMerged(() => fBetaScore({ beta: 2 }), batches);
    // tp 2, fp 1, fn 2 → 10 / (10 + 8 + 1)
    expect(single).toBeCloseTo(10 / 19, 12);
    expect(merged).toBeCloseTo(single, 14);
  });
});

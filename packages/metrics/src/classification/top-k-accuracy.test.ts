import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '@tensorloom/core';
import { topKAccuracy } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

const scores = [
  [0.5, 0.2, 0.2],
  [0.3, 0.4, 0.2],
  [0.2, 0.4, 0.3],
  [0.7, 0.2, 0.1],
];

describe('topKAccuracy', () => {
  it('matches the sklearn.metrics.top_k_accuracy_score docstring example', () => {
    // top_k_accuracy_score([0, 1, 2, 2], scores, k=2) = 0.75: ranks of the true class are
    // 1, 1, 2, 3 → three within the top 2.
    expect(topKAccuracy.compute([0, 1, 2, 2], scores, { k: 2 })).toBe(0.75);
    // k = 1 is accuracy: ranks 1, 1 → 2/4; k >= K hits everything.
    expect(topKAccuracy.compute([0, 1, 2, 2], scores, { k: 1 })).toBe(0.5);
    expect(topKAccuracy.compute([0, 1, 2, 2], scores)).toBe(1);
    // one-hot targets of the same shape read the same
    expect(topKAccuracy.compute([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 1]], scores, { k: 2 })).toBe(0.75);
  });

  it('counts ties at the boundary as in the top k (tf.math.in_top_k)', () => {
    // target class 2 scores 0.2, tied with class 1; only class 0 is strictly higher → hit for k=2.
    expect(topKAccuracy.compute([2], [[0.5, 0.2, 0.2]], { k: 2 })).toBe(1);
    // all tied: nothing is strictly higher → hit even for k=1.
    expect(topKAccuracy.compute([1], [[0.25, 0.25, 0.25, 0.25]], { k: 1 })).toBe(1);
  });

  it('merges exactly, weighs samples and validates', () => {
    const batches = [
      { yTrue: [0, 1], yPred: scores.slice(0, 2) },
      { yTrue: [2, 2], yPred: scores.slice(2), sampleWeight: [1, 3] },
    ];
    const { single, merged } = singleAndMerged(() => topKAccuracy({ k: 2 }), batches);
    expect(single).toBeCloseTo(3 / 6, 12); // hits 1 + 1 + 1 (+0·3) over 1 + 1 + 1 + 3
    expect(merged).toBe(single);
    expect(() => topKAccuracy({ k: 0 })).toThrowError(new ConfigError("TopKAccuracy 'topKAccuracy': k expected an integer >= 1, got 0"));
    expect(() => topKAccuracy.compute([3], [[0.2, 0.8]])).toThrowError(
      "TopKAccuracy 'topKAccuracy': yTrue expected integer class ids in [0, 2), got 3",
    );
    expect(() => topKAccuracy.compute([1, 0], [0.2, 0.8])).toThrowError(ShapeError);
    expect(topKAccuracy.compute([], [], { zeroDivision: NaN })).toBeNaN();
  });
});

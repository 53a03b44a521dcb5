import { describe, expect, it } from 'vitest';
import { ShapeError } from '@tensorloom/core';
import { binaryAccuracy } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

describe('binaryAccuracy', () => {
  it('thresholds strictly and counts every element (Keras BinaryAccuracy)', () => {
    // preds (> 0.5): [1, 0, 0, 1] vs [1, 0, 1, 1] → 3/4.
    expect(binaryAccuracy.compute([1, 0, 1, 1], [0.8, 0.4, 0.3, 0.9])).toBeCloseTo(0.75, 12);
    // integer predictions are thresholded too: 1 > 0.5, 0 is not.
    expect(binaryAccuracy.compute([1, 0], [1, 1])).toBe(0.5);
    // multi-label [2, 2] with logits, threshold 0: preds [[1, 0], [1, 1]] vs [[1, 0], [0, 1]] → 3/4;
    // a per-sample weight [1, 3] weighs both labels of a sample: (1·2 + 3·1) / (1·2 + 3·2) = 5/8.
    expect(binaryAccuracy.compute([[1, 0], [0, 1]], [[2.1, -1], [0.5, 0.2]], { threshold: 0 })).toBeCloseTo(0.75, 12);
    expect(
      binaryAccuracy.compute([[1, 0], [0, 1]], [[2.1, -1], [0.5, 0.2]], { threshold: 0, sampleWeight: [1, 3] }),
    ).toBeCloseTo(5 / 8, 12);
    // all wrong
    expect(binaryAccuracy.compute([1, 0], [0.1, 0.9])).toBe(0);
  });

  it('merges shards exactly and rejects a class axis', () => {
    const batches = [
      { yTrue: [1, 0, 1], yPred: [0.9, 0.6, 0.2] },
      { yTrue: [[0], [1]], yPred: [[0.1], [0.7]] },
      { yTrue: [1], yPred: [0.51], sampleWeight: [4] },
    ];
    const { single, merged } = singleAndMerged(() => binaryAccuracy(), batches, 3);
    // right: 1 + 0 + 0 | 1 + 1 | 4 → 7 of 3 + 2 + 4 = 9.
    expect(single).toBeCloseTo(7 / 9, 12);
    expect(merged).toBeCloseTo(single, 12);
    expect(() => binaryAccuracy.compute([1, 0], [[0.1, 0.9], [0.8, 0.2]])).toThrowError(
      new ShapeError("BinaryAccuracy 'binaryAccuracy': yPred expected the shape of yTrue [2], got [2, 2]"),
    );
  });
});

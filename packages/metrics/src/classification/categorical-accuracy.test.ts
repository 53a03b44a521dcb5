import { describe, expect, it } from 'vitest';
import { ShapeError } from '@tensorloom/core';
import { categoricalAccuracy } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

describe('categoricalAccuracy', () => {
  it('compares argmaxes, first maximum on ties (tf.argMax / numpy.argmax)', () => {
    // argmax true [2, 1], pred [2, 0] → 1/2.
    expect(categoricalAccuracy.compute([[0, 0, 1], [0, 1, 0]], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]])).toBe(0.5);
    // a tie [0.4, 0.4, 0.2] resolves to class 0, so target class 1 is missed, target 0 is hit.
    expect(categoricalAccuracy.compute([[0, 1, 0]], [[0.4, 0.4, 0.2]])).toBe(0);
    expect(categoricalAccuracy.compute([[1, 0, 0]], [[0.4, 0.4, 0.2]])).toBe(1);
  });

  it('merges shards exactly and requires matching [.., K] shapes', () => {
    const batches = [
      { yTrue: [[1, 0], [0, 1]], yPred: [[0.6, 0.4], [0.7, 0.3]] },
      { yTrue: [[0, 1]], yPred: [[0.2, 0.8]], sampleWeight: [2] },
    ];
    const { single, merged } = singleAndMerged(() => categoricalAccuracy(), batches);
    expect(single).toBeCloseTo(3 / 4, 12); // (1 + 0 + 2) / (1 + 1 + 2)
    expect(merged).toBeCloseTo(single, 12);
    expect(() => categoricalAccuracy.compute([1, 0], [[0.1, 0.9], [0.8, 0.2]])).toThrowError(
      new ShapeError(
        "CategoricalAccuracy 'categoricalAccuracy': yTrue and yPred expected the same shape [..., numClasses] with numClasses > 1, got [2] and [2, 2]",
      ),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '@tensorloom/core';
import { sparseCategoricalAccuracy } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

describe('sparseCategoricalAccuracy', () => {
  it('compares ids with the argmax of scores', () => {
    expect(sparseCategoricalAccuracy.compute([2, 1], [[0.1, 0.2, 0.7], [0.5, 0.3, 0.2]])).toBe(0.5);
    // [N, T] ids against [N, T, K] logits: argmax [[1, 0], [0, 0]] vs [[1, 0], [1, 0]] → 3/4.
    expect(sparseCategoricalAccuracy.compute([[1, 0], [1, 0]], [[[0, 1], [2, 1]], [[3, 1], [1, 0]]])).toBe(0.75);
  });

  it('merges shards exactly and rejects what is not ids vs scores', () => {
    const batches = [
      { yTrue: [0, 1, 2], yPred: [[3, 1, 0], [0, 0, 1], [0, 0, 5]] },
      { yTrue: [[1]], yPred: [[0.1, 0.9, 0]] },
    ];
    const { single, merged } = singleAndMerged(() => sparseCategoricalAccuracy(), batches);
    expect(single).toBeCloseTo(3 / 4, 12); // rights: 0 ✓, 1 ✗, 2 ✓, 1 ✓
    expect(merged).toBeCloseTo(single, 12);
    expect(() => sparseCategoricalAccuracy.compute([1, 0], [1, 0])).toThrowError(
      new ShapeError(
        "SparseCategoricalAccuracy 'sparseCategoricalAccuracy': yPred expected shape [2, numClasses] (class scores for each label in yTrue), got [2]",
      ),
    );
    expect(() => sparseCategoricalAccuracy.compute([0.5], [[0.1, 0.9]])).toThrowError(
      new ConfigError(
        "SparseCategoricalAccuracy 'sparseCategoricalAccuracy': yTrue expected integer class ids in [0, 2) (yPred has 2 classes), got 0.5",
      ),
    );
  });
});

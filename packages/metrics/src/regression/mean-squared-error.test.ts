import { describe, expect, it } from 'vitest';
import { ShapeError, expectNoLeaks, tf } from '@tensorloom/core';
import { meanSquaredError } from '../index.js';
import { singleAndMerged, tensorsHeldBy } from '../internal/testing.js';

// References: sklearn.metrics.mean_squared_error docstring and scripts/reference_regression.py.
describe('meanSquaredError', () => {
  it('matches the sklearn docstring, single and multi-output', () => {
    // (0.25 + 0.25 + 0 + 1) / 4 = 0.375
    expect(meanSquaredError.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBe(0.375);
    const m = meanSquaredError();
    m.update([[0.5, 1], [-1, 1], [7, -6]], [[0, 2], [-1, 2], [8, -5]]);
    // outputs: (0.25 + 0 + 1) / 3 and (1 + 1 + 1) / 3 → uniform average 0.708333...
    expect(m.perOutput()).toEqual([0.4166666666666667, 1].map((v) => expect.closeTo(v, 14)));
    expect(m.result()).toBeCloseTo(0.7083333333333334, 14);
  });

  it('weights, shapes and edge cases', () => {
    // weights [1, 2, 0.5, 3]: (0.25 + 0.5 + 0 + 3) / 6.5 = 0.576923...
    expect(meanSquaredError.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8], { sampleWeight: [1, 2, 0.5, 3] })).toBeCloseTo(
      0.5769230769230769,
      14,
    );
    // [N] against [N, 1] is one output
    expect(meanSquaredError.compute([1, 2], [[1], [4]])).toBe(2);
    // a scalar is one sample
    expect(meanSquaredError.compute(3, 1)).toBe(4);
    expect(meanSquaredError.compute([], [])).toBeNaN();
    expect(meanSquaredError.compute([], [], { zeroDivision: 0 })).toBe(0);
    expect(meanSquaredError().perOutput()).toEqual([]);
    expect(() => meanSquaredError.compute([1, 2, 3], [1, 2])).toThrowError(
      new ShapeError("MeanSquaredError 'meanSquaredError': yPred expected the shape of yTrue [3], got [2]"),
    );
    const m = meanSquaredError();
    m.update([[1, 2]], [[1, 2]]);
    expect(() => m.update([1], [1])).toThrowError("MeanSquaredError 'meanSquaredError': yTrue expected 2 outputs (earlier batches), got 1");
  });

  it('streams exactly and reads tensors without keeping them', async () => {
    const batches = [
      { yTrue: [[0.5, 1]], yPred: [[0, 2]] },
      { yTrue: [[-1, 1], [7, -6]], yPred: [[-1, 2], [8, -5]], sampleWeight: [1, 2] },
    ];
    const { single, merged } = singleAndMerged(() => meanSquaredError(), batches);
    expect(merged).toBeCloseTo(single, 15);
    const t = tf.tensor2d([[0.5, 1], [-1, 1], [7, -6]]);
    const p = tf.tensor2d([[0, 2], [-1, 2], [8, -5]]);
    const m = meanSquaredError();
    await expectNoLeaks(() => m.update(t, p));
    expect(tensorsHeldBy(m)).toBe(0);
    expect(m.result()).toBeCloseTo(0.7083333333333334, 6);
    tf.dispose([t, p]);
  });
});

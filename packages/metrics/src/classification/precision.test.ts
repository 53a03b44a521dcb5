import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, tf } from '@tensorloom/core';
import { precision } from '../index.js';
import { SKLEARN_LABELS as A, WEIGHTED_BINARY as B, singleAndMerged, tensorsHeldBy } from '../internal/testing.js';

// Expected values: scripts/reference_classification.py (numpy float64 re-derivation of
// sklearn.metrics.precision_recall_fscore_support), checked by hand in the comments.

// A, the sklearn precision_score docstring: y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1].
// Class 0: tp 2, fp 1 → 2/3; classes 1 and 2: tp 0 → 0. macro 2/9, micro 2/6, weighted 2/9.
const oneHot = (ids: number[], k: number): number[][] => ids.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0)));

// B, the weighted binary set: preds (> 0.5) = [1, 1, 0, 1, 0, 1, 1, 0]; tp = 1 + 0.5 + 3 = 4.5,
// fp = 2 + 1 = 3, fn = 1, tn = 1 + 2 = 3 → precision 4.5 / 7.5 = 0.6.

// Four classes; class 3 never occurs, class 2 is never predicted (precision 0/0).
// Confusion [[2, 1, 0, 0], [1, 2, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]].
const C = { yTrue: [0, 0, 1, 1, 2, 2, 0, 1], yPred: [0, 1, 1, 0, 1, 0, 0, 1] };

describe('precision', () => {
  it('matches the sklearn docstring example for every average and reading', () => {
    for (const yPred of [A.yPred, oneHot(A.yPred, 3), oneHot(A.yPred, 3).map((r) => r.map((v) => v * 0.8 + 0.1))]) {
      const opts = { numClasses: 3 };
      expect(precision.compute(A.yTrue, yPred, { ...opts, average: 'macro' })).toBeCloseTo(2 / 9, 12);
      expect(precision.compute(A.yTrue, yPred, { ...opts, average: 'micro' })).toBeCloseTo(1 / 3, 12);
      expect(precision.compute(A.yTrue, yPred, { ...opts, average: 'weighted' })).toBeCloseTo(2 / 9, 12);
      expect(precision.compute(A.yTrue, yPred, opts)).toBeCloseTo(2 / 9, 12); // default macro for K > 2
    }
    const p = precision({ numClasses: 3 });
    p.update(A.yTrue, A.yPred);
    expect(p.perClass().map((v) => +v.toFixed(12))).toEqual([+(2 / 3).toFixed(12), 0, 0]);
    // one-hot targets against one-hot predictions read as categorical
    expect(precision.compute(oneHot(A.yTrue, 3), oneHot(A.yPred, 3), { average: 'micro' })).toBeCloseTo(1 / 3, 12);
  });

  it('binary: weights, threshold, class 1 by default', () => {
    expect(precision.compute(B.yTrue, B.yPred, { sampleWeight: B.sampleWeight })).toBeCloseTo(0.6, 12);
    // threshold 0.55 (strict): preds [1, 1, 0, 1, 0, 0, 0, 0]; tp 1.5, fp 2 → 1.5 / 3.5.
    expect(precision.compute(B.yTrue, B.yPred, { sampleWeight: B.sampleWeight, threshold: 0.55 })).toBeCloseTo(3 / 7, 12);
    // macro over both classes: class 0 precision 3 / (3 + 1) = 0.75 → (0.75 + 0.6) / 2 = 0.675 (reference script).
    expect(precision.compute(B.yTrue, B.yPred, { sampleWeight: B.sampleWeight, average: 'macro' })).toBeCloseTo(0.675, 12);
    // weighted by support (6 negatives, 5.5 positives): (6·0.75 + 5.5·0.6) / 11.5 = 0.678260869565...
    expect(precision.compute(B.yTrue, B.yPred, { sampleWeight: B.sampleWeight, average: 'weighted' })).toBeCloseTo(
      0.6782608695652174,
      12,
    );
    // task 'binary' reads multi-label [N, L] element by element (micro over labels):
    // preds [[1, 0], [1, 1]] vs [[1, 0], [0, 1]]: tp 2, fp 1 → 2/3.
    expect(precision.compute([[1, 0], [0, 1]], [[0.9, 0.2], [0.7, 0.6]], { task: 'binary' })).toBeCloseTo(2 / 3, 12);
  });

  it('applies zeroDivision per class and leaves unseen classes out of macro', () => {
    // per class [0.5, 0.5, 0/0, 0/0]; macro over classes 0..2 (3 never seen); weighted by support [3, 3, 2].
    const cases: [number, number[], number, number][] = [
      [0, [0.5, 0.5, 0, 0], 1 / 3, 0.375],
      [1, [0.5, 0.5, 1, 1], 2 / 3, 0.625],
      [NaN, [0.5, 0.5, NaN, NaN], 0.5, 0.5], // NaN classes are skipped (sklearn _nanaverage)
    ];
    for (const [zeroDivision, perClass, macro, weighted] of cases) {
      const p = precision({ numClasses: 4, zeroDivision });
      p.update(C.yTrue, C.yPred);
      expect(p.perClass()).toEqual(perClass);
      expect(p.result()).toBeCloseTo(macro, 12);
      expect(precision.compute(C.yTrue, C.yPred, { numClasses: 4, zeroDivision, average: 'weighted' })).toBeCloseTo(weighted, 12);
    }
    // empty input and all-wrong input
    expect(precision.compute([], [])).toBe(0);
    expect(precision.compute([], [], { zeroDivision: 1 })).toBe(1);
    expect(precision().perClass()).toEqual([]);
    expect(precision.compute([0, 0, 1], [1, 1, 0])).toBe(0);
    // a single class present: everything is class 1 and predicted so → 1
    expect(precision.compute([1, 1, 1], [0.9, 0.8, 0.7])).toBe(1);
  });

  it('skips ignoreIndex targets', () => {
    // the -1 targets are dropped: remaining [1, 0, 1] vs preds [1, 1, 1] → 2/3
    expect(precision.compute([1, -1, 0, 1, -1], [0.9, 0.9, 0.8, 0.7, 0.1], { ignoreIndex: -1 })).toBeCloseTo(2 / 3, 12);
  });

  it('streams exactly: merged shards equal one pass; tensors are read, never kept', async () => {
    const batches = [
      { yTrue: B.yTrue.slice(0, 3), yPred: B.yPred.slice(0, 3), sampleWeight: B.sampleWeight.slice(0, 3) },
      { yTrue: B.yTrue.slice(3, 6), yPred: B.yPred.slice(3, 6), sampleWeight: B.sampleWeight.slice(3, 6) },
      { yTrue: B.yTrue.slice(6), yPred: B.yPred.slice(6), sampleWeight: B.sampleWeight.slice(6) },
    ];
    for (const average of ['binary', 'macro', 'micro', 'weighted'] as const) {
      const { single, merged } = singleAndMerged(() => precision({ average }), batches, 2);
      expect(merged).toBeCloseTo(single, 14);
    }
    expect(singleAndMerged(() => precision(), batches).single).toBeCloseTo(0.6, 12);
    const yTrue = tf.tensor1d(A.yTrue, 'int32');
    const yPred = tf.oneHot(tf.tensor1d(A.yPred, 'int32'), 3);
    const p = precision({ average: 'micro' });
    await expectNoLeaks(() => p.update(yTrue, yPred), 'precision.update');
    expect(p.result()).toBeCloseTo(1 / 3, 6);
    expect(tensorsHeldBy(p)).toBe(0);
    tf.dispose([yTrue, yPred]);
  });

  it('reports bad labels, class counts and options', () => {
    expect(() => precision.compute([0, 2, 1], [0, 1, 1])).toThrowError(
      new ConfigError("Precision 'precision': yTrue expected binary labels 0 or 1, got 2", {
        help: 'for multiclass class ids pass numClasses, or pass class scores with a class axis',
      }),
    );
    expect(() => precision.compute([0, 1], [0.2, 0.7], { numClasses: 3 })).toThrowError(
      "Precision 'precision': yPred expected integer class ids (numClasses is 3), got 0.2",
    );
    expect(() => precision.compute([0, 1], [0.2, 0.7], { task: 'multiclass' })).toThrowError(
      "Precision 'precision': yPred expected integer class ids (task is 'multiclass'), got 0.2",
    );
    expect(() => precision.compute([0, 1], [[0.2, 0.7, 0.1], [0, 1, 0]], { numClasses: 4 })).toThrowError(
      new ShapeError("Precision 'precision': yPred expected 4 classes (numClasses), got 3"),
    );
    expect(() => precision.compute([0, 1], [[0.2, 0.7, 0.1], [0, 1, 0]], { average: 'binary' })).toThrowError(
      "Precision 'precision': average 'binary' expected 2 classes, got 3\nhelp: use average 'macro', 'micro' or 'weighted' for more classes",
    );
    expect(() => precision({ numClasses: 3, average: 'binary' })).toThrowError(ConfigError);
    expect(() => precision({ average: 'samples' as never })).toThrowError(
      "Precision 'precision': average expected one of 'binary', 'micro', 'macro', 'weighted', got 'samples'",
    );
    expect(() => precision({ numClasses: 1 })).toThrowError("Precision 'precision': numClasses expected an integer >= 2, got 1");
    expect(() => precision({ task: 'binary', numClasses: 3 })).toThrowError(
      "Precision 'precision': numClasses expected 2 for task 'binary', got 3",
    );
    const a = precision();
    a.update([0, 1], [[0.2, 0.8], [0.6, 0.4]]);
    const b = precision();
    b.update([0, 1], [[0.2, 0.5, 0.3], [0.6, 0.3, 0.1]]);
    expect(() => a.merge(b)).toThrowError(new ShapeError("Precision 'precision': other expected 2 classes, got 3"));
    expect(() => a.update([0], [[0.1, 0.2, 0.7]])).toThrowError("Precision 'precision': yPred expected 2 classes (earlier batches), got 3");
  });
});

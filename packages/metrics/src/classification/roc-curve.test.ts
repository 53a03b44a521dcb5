import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, tf } from '@tensorloom/core';
import { rocCurve } from '../index.js';
import { SKLEARN_SCORES, singleAndMerged, tensorsHeldBy } from '../internal/testing.js';

// Expected curves: scripts/reference_curves.py (numpy port of sklearn's _binary_clf_curve and
// roc_curve with drop_intermediate) and the sklearn.metrics.roc_curve docstring.
const close = (a: number[], b: number[]): void => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
};

describe('rocCurve', () => {
  it('reproduces the sklearn.metrics.roc_curve docstring example', () => {
    const { curves, auc } = rocCurve.compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    expect(curves).toHaveLength(1);
    expect(curves[0].label).toBe('class 1');
    expect(curves[0].fpr).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(curves[0].tpr).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(curves[0].thresholds).toEqual([Infinity, 0.8, 0.4, 0.35, 0.1]);
    expect(auc).toBe(0.75);
    expect(curves[0].auc).toBe(0.75);
  });

  it('groups tied scores into one threshold: a diagonal step worth half (sklearn trapezoid)', () => {
    // positives {0.3, 0.7, 0.9}, negatives {0.3, 0.7, 0.1}; pairs won 1 + 0 + ½ | 1 + ½ + 1 | 3 → 7/9
    // (brute-force Mann–Whitney in the reference script agrees).
    const { curves, auc } = rocCurve.compute([0, 1, 1, 0, 1, 0], [0.3, 0.3, 0.7, 0.7, 0.9, 0.1]);
    close(curves[0].fpr, [0, 0, 2 / 3, 1]);
    close(curves[0].tpr, [0, 1 / 3, 1, 1]);
    expect(curves[0].thresholds).toEqual([Infinity, 0.9, 0.3, 0.1]);
    expect(auc).toBeCloseTo(7 / 9, 12);
  });

  it('drops collinear points unless asked not to; the AUC is unchanged', () => {
    const y = [1, 0, 0, 0, 1, 1];
    const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
    const dropped = rocCurve.compute(y, s).curves[0];
    close(dropped.fpr, [0, 0, 1, 1]);
    close(dropped.tpr, [0, 1 / 3, 1 / 3, 1]);
    expect(dropped.thresholds).toEqual([Infinity, 0.9, 0.6, 0.4]);
    const all = rocCurve.compute(y, s, { dropIntermediate: false }).curves[0];
    close(all.fpr, [0, 0, 1 / 3, 2 / 3, 1, 1, 1]);
    expect(all.thresholds).toEqual([Infinity, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4]);
    expect(all.auc).toBeCloseTo(1 / 3, 12);
    expect(dropped.auc).toBeCloseTo(1 / 3, 12);
  });

  it('weights samples (reference script: AUC 0.681818..., pairwise check agrees)', () => {
    const y = [1, 1, 0, 1, 0, 0, 1, 0, 0, 1];
    const s = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.55, 0.5, 0.3, 0.2];
    const w = [1, 2, 1, 1, 0.5, 1, 3, 1, 2, 1];
    const { curves, auc } = rocCurve.compute(y, s, { sampleWeight: w });
    expect(auc).toBeCloseTo(0.6818181818181818, 12);
    close(curves[0].tpr, [0, 0.125, 0.375, 0.375, 0.5, 0.5, 0.5, 0.875, 0.875, 0.875, 1]);
    close(curves[0].fpr, [0, 0, 0, 2 / 11, 2 / 11, 3 / 11, 5 / 11, 5 / 11, 7 / 11, 1, 1]);
    // a zero weight removes the sample entirely (as sklearn): same as dropping it
    const withZero = rocCurve.compute([...y, 0], [...s, 0.99], { sampleWeight: [...w, 0] });
    expect(withZero.auc).toBeCloseTo(auc, 14);
  });

  it('one-vs-rest curves for class scores, with names', () => {
    // sklearn average_precision_score docstring inputs; per-class AUC (reference script) [0.9375, 0.8125, 0.75]
    const { yTrue, yPred } = SKLEARN_SCORES;
    const r = rocCurve.compute(yTrue, yPred, { classNames: ['a', 'b', 'c'] });
    expect(r.curves.map((c) => c.label)).toEqual(['a', 'b', 'c']);
    expect(r.curves.map((c) => c.auc)).toEqual([0.9375, 0.8125, 0.75]);
    expect(r.auc).toBeCloseTo(2.5 / 3, 12);
  });

  it('a single class in yTrue: NaN rates and AUC = zeroDivision', () => {
    const r = rocCurve.compute([1, 1, 1], [0.2, 0.5, 0.9]);
    expect(r.curves[0].fpr.every(Number.isNaN)).toBe(true);
    // tps [1, 2, 3] with fps 0 are collinear: the middle point is dropped, as sklearn
    expect(r.curves[0].tpr).toEqual([0, 1 / 3, 1]);
    expect(r.auc).toBeNaN();
    expect(rocCurve.compute([0, 0], [0.2, 0.5], { zeroDivision: 0 }).auc).toBe(0);
    expect(rocCurve.compute([], [])).toEqual({ curves: [], auc: NaN });
  });

  it('streams exactly: merged shards equal one pass; keeps no tensors', async () => {
    const y = [1, 1, 0, 1, 0, 0, 1, 0, 0, 1];
    const s = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.55, 0.5, 0.3, 0.2];
    const batches = [0, 3, 7].map((start, i, a) => ({ yTrue: y.slice(start, a[i + 1]), yPred: s.slice(start, a[i + 1]) }));
    const { single, merged } = singleAndMerged(() => rocCurve(), batches, 2);
    expect(merged).toEqual(single);
    expect(single).toEqual(rocCurve.compute(y, s));
    const yt = tf.tensor1d(y);
    const ys = tf.tensor1d(s);
    const m = rocCurve();
    await expectNoLeaks(() => m.update(yt, ys), 'rocCurve.update');
    expect(tensorsHeldBy(m)).toBe(0);
    expect(m.result().auc).toBeCloseTo(rocCurve.compute(y, s).auc, 6); // float32 scores, same order
    tf.dispose([yt, ys]);
  });

  it('validates inputs and options', () => {
    expect(() => rocCurve.compute([0, 2], [0.1, 0.2])).toThrowError(
      new ConfigError("RocCurve 'rocCurve': yTrue expected binary labels 0 or 1, got 2"),
    );
    expect(() => rocCurve.compute([0, 1], [0.1, NaN])).toThrowError("RocCurve 'rocCurve': yPred expected finite values, got NaN at [1]");
    expect(() => rocCurve.compute([0, 1], [0.1, 0.2], { numClasses: 3 })).toThrowError(
      new ShapeError("RocCurve 'rocCurve': yPred expected 3 classes (numClasses), got binary scores of shape [2]"),
    );
    expect(() => rocCurve.compute([0, 1], [0.1, 0.2], { classNames: ['a', 'b'] })).toThrowError(
      "RocCurve 'rocCurve': classNames expected 1 names (one per curve), got 2",
    );
    expect(() => rocCurve({ classNames: ['a', 1] as unknown as string[] })).toThrowError(
      new ConfigError(`RocCurve 'rocCurve': classNames expected an array of strings, got ["a",1]`),
    );
    const m = rocCurve();
    m.update([0, 1], [0.1, 0.2]);
    expect(() => m.update([0, 1], [[0.1, 0.9], [0.3, 0.7]])).toThrowError(
      "RocCurve 'rocCurve': yPred expected 1 classes (earlier batches), got 2",
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tensorloom/core';
import { precisionRecallCurve } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// References: the sklearn.metrics.precision_recall_curve docstring and
// scripts/reference_curves.py (numpy port of precision_recall_curve).
const close = (a: number[], b: number[]): void => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
};

describe('precisionRecallCurve', () => {
  it('reproduces the sklearn docstring example', () => {
    const { curves, averagePrecision } = precisionRecallCurve.compute([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
    close(curves[0].precision, [0.5, 2 / 3, 0.5, 1, 1]);
    expect(curves[0].recall).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(curves[0].thresholds).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(averagePrecision).toBeCloseTo(5 / 6, 12);
  });

  it('ties share a threshold', () => {
    // reference script: precision [0.5, 0.6, 2/3, 1, 1], recall [1, 1, 2/3, 1/3, 0]
    const { curves } = precisionRecallCurve.compute([0, 1, 1, 0, 1, 0], [0.3, 0.3, 0.7, 0.7, 0.9, 0.1]);
    close(curves[0].precision, [0.5, 0.6, 2 / 3, 1, 1]);
    close(curves[0].recall, [1, 1, 2 / 3, 1 / 3, 0]);
    expect(curves[0].thresholds).toEqual([0.1, 0.3, 0.7, 0.9]);
    expect(curves[0].averagePrecision).toBeCloseTo(0.7555555555555555, 12);
  });

  it('no positives: recall 1 everywhere (sklearn), AP = zeroDivision', () => {
    const { curves, averagePrecision } = precisionRecallCurve.compute([0, 0], [0.3, 0.6]);
    expect(curves[0].recall).toEqual([1, 1, 0]);
    expect(curves[0].precision).toEqual([0, 0, 1]);
    expect(averagePrecision).toBe(0);
    expect(precisionRecallCurve.compute([0, 0], [0.3, 0.6], { zeroDivision: NaN }).averagePrecision).toBeNaN();
  });

  it('one curve per class for class scores; merges exactly', () => {
    const yTrue = [0, 1, 2, 1];
    const yPred = [
      [0.6, 0.3, 0.1],
      [0.2, 0.5, 0.3],
      [0.1, 0.1, 0.8],
      [0.3, 0.3, 0.4],
    ];
    const batches = [
      { yTrue: yTrue.slice(0, 1), yPred: yPred.slice(0, 1) },
      { yTrue: yTrue.slice(1), yPred: yPred.slice(1) },
    ];
    const { single, merged } = singleAndMerged(() => precisionRecallCurve(), batches);
    expect(merged).toEqual(single);
    expect(single.curves.map((c) => c.label)).toEqual(['class 0', 'class 1', 'class 2']);
    // class 0 and 2 are ranked first: AP 1; class 1 scores [0.3 | 0.5, 0.3, 0.1 ...] → positives
    // rows 1 (0.5) and 3 (0.3), negatives 0.3 (row 0) and 0.1: thresholds 0.5 → P 1, R ½;
    // 0.3 → P 2/3, R 1 → AP = ½·1 + ½·⅔ = 5/6.
    expect(single.curves.map((c) => c.averagePrecision)).toEqual([1, 5 / 6, 1].map((v) => expect.closeTo(v, 12)));
    expect(single.averagePrecision).toBeCloseTo((1 + 5 / 6 + 1) / 3, 12);
  });

  it('names its curves, and checks the names', () => {
    const r = precisionRecallCurve.compute([0, 1, 2], [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7]], { classNames: ['a', 'b', 'c'] });
    expect(r.curves.map((c) => c.label)).toEqual(['a', 'b', 'c']);
    expect(precisionRecallCurve.compute([0, 1], [0.2, 0.7]).curves.map((c) => c.label)).toEqual(['class 1']);
    expect(() => precisionRecallCurve.compute([0, 1], [0.2, 0.7], { classNames: ['neg', 'pos'] })).toThrowError(
      new ConfigError("PrecisionRecallCurve 'precisionRecallCurve': classNames expected 1 names (one per curve), got 2"),
    );
    expect(() => precisionRecallCurve({ classNames: 'pos' as unknown as string[] })).toThrowError(
      new ConfigError(`PrecisionRecallCurve 'precisionRecallCurve': classNames expected an array of strings, got "pos"`),
    );
  });
});

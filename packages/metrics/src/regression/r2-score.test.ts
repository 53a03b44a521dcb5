import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tensorloom/core';
import { r2Score } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// References: sklearn.metrics.r2_score docstring and scripts/reference_regression.py.
const Y2 = [[0.5, 1], [-1, 1], [7, -6]];
const P2 = [[0, 2], [-1, 2], [8, -5]];

describe('r2Score', () => {
  it('matches the sklearn docstring', () => {
    // SS_res 1.5, ȳ 2.875, SS_tot 29.1875 → 1 − 1.5 / 29.1875 = 0.9486081370449679
    expect(r2Score.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(0.9486081370449679, 14);
    const m = r2Score();
    m.update(Y2, P2);
    expect(m.perOutput()).toEqual([0.9654377880184332, 0.9081632653061225].map((v) => expect.closeTo(v, 14)));
    expect(m.result()).toBeCloseTo(0.9368005266622779, 14);
    expect(r2Score.compute(Y2, P2, { multioutput: 'varianceWeighted' })).toBeCloseTo(0.9382566585956417, 14);
    expect(r2Score.compute([3, -0.5, 2, 7], [2.5, 0.0, 2, 8], { sampleWeight: [1, 2, 0.5, 3] })).toBeCloseTo(
      0.9463401210787011,
      14,
    );
  });

  it('force_finite rules, bias, and too few samples', () => {
    expect(r2Score.compute([2, 2, 2], [2, 2, 2])).toBe(1);
    expect(r2Score.compute([2, 2, 2], [2, 2, 3])).toBe(0);
    // a constant offset of 1: SS_res 3, SS_tot 2 → −0.5
    expect(r2Score.compute([1, 2, 3], [2, 3, 4])).toBe(-0.5);
    expect(r2Score.compute([1], [1])).toBeNaN();
    expect(r2Score.compute([], [])).toBeNaN();
    expect(r2Score.compute([1], [1], { zeroDivision: 0 })).toBe(0);
    expect(() => r2Score({ multioutput: 'raw' as never })).toThrowError(
      new ConfigError("R2Score 'r2Score': multioutput expected one of 'uniformAverage', 'varianceWeighted', got 'raw'"),
    );
  });

  it('streams exactly, without cancellation on large offsets', () => {
    const batches = [
      { yTrue: Y2.slice(0, 1), yPred: P2.slice(0, 1) },
      { yTrue: Y2.slice(1), yPred: P2.slice(1), sampleWeight: [1, 1] },
    ];
    const { single, merged } = singleAndMerged(() => r2Score(), batches);
    expect(merged).toBeCloseTo(single, 14);
    expect(single).toBeCloseTo(0.9368005266622779, 14);
    // targets 1e8 + [1..6], residuals [0.5, −0.5, 0.25, 0, −0.25, 0.5]: SS_res 0.875, SS_tot 17.5 → 0.95,
    // fed one sample per batch (a naive Σy² − (Σy)²/n would lose every digit here)
    const y = [1, 2, 3, 4, 5, 6].map((v) => 1e8 + v);
    const r = [0.5, -0.5, 0.25, 0, -0.25, 0.5];
    const m = r2Score();
    y.forEach((v, i) => m.update([v], [v + r[i]]));
    expect(m.result()).toBeCloseTo(0.95, 9);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError } from '@tensorloom/core';
import { calibrationError } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// References: scripts/reference_probabilistic.py (numpy re-derivation of torchmetrics'
// binning with boundaries j / M) and the hand computation in the comments.
const P2 = [
  [0.25, 0.5, 0.25],
  [0.7, 0.2, 0.1],
  [0.05, 0.15, 0.8],
  [0.4, 0.35, 0.25],
  [0.1, 0.3, 0.6],
  [0.33, 0.33, 0.34],
];
const Y2 = [1, 0, 2, 1, 1, 2];
const W2 = [1, 2, 1, 1, 0.5, 1];

describe('calibrationError', () => {
  it('expected / RMS / maximum calibration error (Guo et al. 2017)', () => {
    // confidences .9 (right), .8 (right), .6 (wrong); 5 bins: {.8, .9} in [.8, 1] → gap .15,
    // {.6} in [.6, .8) → gap .6. ECE = ⅔·.15 + ⅓·.6 = 0.3; RMS = sqrt(⅔·.0225 + ⅓·.36); MCE = .6
    const yTrue = [0, 1, 1];
    const yPred = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]];
    expect(calibrationError.compute(yTrue, yPred, { bins: 5 })).toBeCloseTo(0.3, 12);
    expect(calibrationError.compute(yTrue, yPred, { bins: 5, norm: 'l2' })).toBeCloseTo(Math.sqrt((2 / 3) * 0.0225 + 0.36 / 3), 12);
    expect(calibrationError.compute(yTrue, yPred, { bins: 5, norm: 'max' })).toBeCloseTo(0.6, 12);
  });

  it('weighted multiclass, several bin counts (reference script)', () => {
    // 3 bins: [⅓, ⅔) holds .5 ✓, .4 ✗, .6 ✗ (w .5), .34 ✓ → W 3.5, conf .44, acc 4/7;
    // [⅔, 1] holds .7 ✓ (w 2), .8 ✓ → conf .7333, acc 1. ECE = (3.5·.131429 + 3·.266667) / 6.5
    const cases: [number, 'l1' | 'l2' | 'max', number][] = [
      [3, 'l1', 0.1938461538461538],
      [10, 'l1', 0.40923076923076923],
      [3, 'l2', 0.2052355030729618],
      [10, 'l2', 0.43775651820477696],
      [3, 'max', 0.2666666666666666],
      [10, 'max', 0.6599999999999999],
    ];
    for (const [bins, norm, expected] of cases) {
      expect(calibrationError.compute(Y2, P2, { bins, norm, sampleWeight: W2 })).toBeCloseTo(expected, 12);
    }
  });

  it('binary: confidence is p(class 1), accuracy the label; 0 and 1 land in the end bins', () => {
    const p = [0.1, 0.35, 0.5, 0.65, 0.9, 1.0, 0.0, 0.75];
    const y = [0, 1, 0, 1, 1, 1, 0, 0];
    // 4 bins: [0, .25) {.1→0, 0→0}: gap .05; [.25, .5) {.35→1}: .65; [.5, .75) {.5→0, .65→1}: .075;
    // [.75, 1] {.9→1, 1→1, .75→0}: |⅔ − .8833| = .2167 → (2·.05 + .65 + 2·.075 + 3·.21667) / 8 = 0.19375
    expect(calibrationError.compute(y, p, { bins: 4 })).toBeCloseTo(0.19375, 12);
    expect(calibrationError.compute(y, p)).toBeCloseTo(0.30625, 12); // 15 bins (reference script)
    // logits: sigmoid(0) = .5 in bin [.5, .75) with label 1 → gap .5
    expect(calibrationError.compute([1], [0], { fromLogits: true, bins: 4 })).toBeCloseTo(0.5, 12);
    // perfectly calibrated hard predictions
    expect(calibrationError.compute([1, 0], [1, 0])).toBe(0);
    expect(calibrationError.compute([], [])).toBeNaN();
  });

  it('merges exactly and validates options', () => {
    const batches = [0, 2, 4].map((i) => ({ yTrue: Y2.slice(i, i + 2), yPred: P2.slice(i, i + 2), sampleWeight: W2.slice(i, i + 2) }));
    const { single, merged } = singleAndMerged(() => calibrationError({ bins: 3 }), batches);
    expect(single).toBeCloseTo(0.1938461538461538, 12);
    expect(merged).toBeCloseTo(single, 14);
    expect(() => calibrationError({ bins: 0 })).toThrowError(
      new ConfigError("CalibrationError 'calibrationError': bins expected an integer >= 1, got 0"),
    );
    expect(() => calibrationError({ norm: 'l3' as never })).toThrowError(/norm expected one of 'l1', 'l2', 'max'/);
  });
});

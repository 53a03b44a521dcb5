import { describe, expect, it } from 'vitest';
import { pixelAccuracy } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';
import { SEGMENTATION_P as P, SEGMENTATION_T as T } from '../internal/testing.js';

describe('pixelAccuracy', () => {
  it('counts right pixels, void skipped (scripts/reference_segmentation.py: 18/24)', () => {
    expect(pixelAccuracy.compute(T, P, { numClasses: 4, ignoreIndex: 255, sampleWeight: [1, 2] })).toBe(0.75);
    // unweighted: 6 of 8 non-void pixels right in each image → 12/16
    expect(pixelAccuracy.compute(T, P, { numClasses: 4, ignoreIndex: 255 })).toBe(0.75);
    // image 1 of P against image 0 of T: only (0, 2) = 1 and (2, 1) = 0 agree → 2 of 8
    expect(pixelAccuracy.compute([T[0]], [P[1]], { numClasses: 4, ignoreIndex: 255 })).toBe(0.25);
    expect(pixelAccuracy.compute([[0, 255, 1, 1]], [[0, 1, 1, 0]], { numClasses: 2, ignoreIndex: 255 })).toBeCloseTo(2 / 3, 12);
    expect(pixelAccuracy.compute([[255]], [[1]], { numClasses: 2, ignoreIndex: 255 })).toBe(0);
  });

  it('merges exactly', () => {
    const batches = [
      { yTrue: [T[0]], yPred: [P[0]] },
      { yTrue: [T[1]], yPred: [P[1]] },
    ];
    const { single, merged } = singleAndMerged(() => pixelAccuracy({ numClasses: 4, ignoreIndex: 255 }), batches);
    expect(merged).toBe(single);
    expect(single).toBe(0.75);
  });
});

import { describe, expect, it } from 'vitest';
import { meanIoU } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';
import { SEGMENTATION_P as P, SEGMENTATION_T as T } from '../internal/testing.js';

describe('meanIoU', () => {
  it('averages over classes present (mmsegmentation nanmean)', () => {
    // (0.6 + 7/12 + 0.625) / 3 = 0.6027777... (scripts/reference_segmentation.py); class 3 is absent
    expect(meanIoU.compute(T, P, { numClasses: 4, ignoreIndex: 255, sampleWeight: [1, 2] })).toBeCloseTo(0.6027777777777777, 12);
    expect(meanIoU.compute([[0, 0, 1, 1]], [[0, 1, 1, 1]], { numClasses: 3 })).toBeCloseTo((0.5 + 2 / 3) / 2, 12);
    // a single class present and right: 1; nothing but void: zeroDivision (NaN)
    expect(meanIoU.compute([[1, 1]], [[1, 1]], { numClasses: 3 })).toBe(1);
    expect(meanIoU.compute([[255]], [[0]], { numClasses: 2, ignoreIndex: 255 })).toBeNaN();
  });

  it('merges exactly', () => {
    const batches = [
      { yTrue: [T[0]], yPred: [P[0]] },
      { yTrue: [T[1]], yPred: [P[1]] },
    ];
    const { single, merged } = singleAndMerged(() => meanIoU({ numClasses: 4, ignoreIndex: 255 }), batches);
    expect(merged).toBe(single);
  });
});

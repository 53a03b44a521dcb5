// The test figures against a count done by hand on two 2×2 canvases.
import { SegmentationSplit } from '@tensorloom/datasets';
import { describe, expect, it } from 'vitest';
import { segmentationFigures } from './evaluation.js';

describe('segmentationFigures', () => {
  it('scores IoU per class over all pixels of the split, the digit mean without background', () => {
    // Pixels 0–7 of two canvases. True: background {0, 4, 5}, class 1 {1, 2}, class 2 {3, 6, 7};
    // predicted: background {0, 4, 7}, class 1 {1, 5}, class 2 {2, 3, 6}.
    const truth = Uint8Array.from([0, 1, 1, 2, 0, 0, 2, 2]);
    const predicted = Uint8Array.from([0, 1, 2, 2, 0, 1, 2, 0]);
    const split = new SegmentationSplit(new Float32Array(8), truth, [2, 2, 1], ['background', 'a', 'b']);
    const f = segmentationFigures(split, predicted);
    // IoU: background |{0,4}| / |{0,4,5,7}| = 2/4; class 1 |{1}| / |{1,2,5}| = 1/3; class 2 |{3,6}| / |{2,3,6,7}| = 2/4.
    expect(f.perClass.map((k) => k.iou)).toEqual([0.5, 1 / 3, 0.5]);
    expect(f.meanIoUDigits).toBeCloseTo((1 / 3 + 0.5) / 2, 12);
    expect(f.meanIoUAll).toBeCloseTo((0.5 + 1 / 3 + 0.5) / 3, 12);
    expect(f.pixelAccuracy).toBe(5 / 8);
    expect(f.perClass.map((k) => [k.truePixels, k.predictedPixels])).toEqual([[3, 3], [2, 2], [3, 3]]);
    expect(f.count).toBe(2);
  });
});

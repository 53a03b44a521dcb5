import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, tf } from '@tensorloom/core';
import { iou } from '../index.js';
import { SEGMENTATION_P as P, SEGMENTATION_T as T, singleAndMerged, tensorsHeldBy } from '../internal/testing.js';

// Two 3×3 label maps, 255 = void, image weights [1, 2]. Weighted pixel confusion matrix
// (scripts/reference_segmentation.py): [[6, 1, 0, 0], [2, 7, 0, 0], [1, 2, 5, 0], [0, 0, 0, 0]]
// → IoU = tp / (tp + fp + fn) = [6/10, 7/12, 5/8, 0/0].
const scores = (maps: number[][][], k: number): number[][][][] =>
  maps.map((img) => img.map((row) => row.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 0.7 : 0.1)))));

describe('iou', () => {
  it('per class over weighted pixels, void skipped, unseen class NaN', () => {
    const opts = { numClasses: 4, ignoreIndex: 255, sampleWeight: [1, 2] };
    const expected = [0.6, 7 / 12, 0.625];
    const fromMaps = iou.compute(T, P, opts);
    const fromScores = iou.compute(T, scores(P, 4), opts);
    for (const r of [fromMaps, fromScores]) {
      expect(r.slice(0, 3).map((v) => +v.toFixed(12))).toEqual(expected.map((v) => +v.toFixed(12)));
      expect(r[3]).toBeNaN();
    }
    expect(iou.compute(T, P, { ...opts, zeroDivision: 0 })[3]).toBe(0);
    // hand example: class 0 tp 1 of union 2; class 1 tp 2 of union 3
    expect(iou.compute([[0, 0, 1, 1]], [[0, 1, 1, 1]], { numClasses: 2 })).toEqual([0.5, 2 / 3]);
    // all wrong: every IoU 0
    expect(iou.compute([[0, 1]], [[1, 0]], { numClasses: 2 })).toEqual([0, 0]);
    expect(iou().result()).toEqual([]);
  });

  it('accumulates over batches exactly (dataset IoU) and reads tensors without keeping them', async () => {
    const batches = [
      { yTrue: [T[0]], yPred: [P[0]], sampleWeight: [1] },
      { yTrue: [T[1]], yPred: [P[1]], sampleWeight: [2] },
    ];
    const { single, merged } = singleAndMerged(() => iou({ numClasses: 4, ignoreIndex: 255 }), batches);
    expect(merged).toEqual(single);
    expect(single[0]).toBeCloseTo(0.6, 12);
    const t = tf.tensor3d(T, undefined, 'int32');
    const p = tf.tensor4d(scores(P, 4));
    const m = iou({ ignoreIndex: 255 });
    await expectNoLeaks(() => m.update(t, p));
    expect(tensorsHeldBy(m)).toBe(0);
    // unweighted matrix [[4, 1, 0, 0], [1, 5, 0, 0], [1, 1, 3, 0], 0] (reference script,
    // 'unweighted'): IoU [4/7, 5/8, 3/5, NaN]
    const r = m.result();
    expect(r.slice(0, 3)).toEqual([4 / 7, 5 / 8, 3 / 5].map((v) => expect.closeTo(v, 12)));
    expect(r[3]).toBeNaN();
    tf.dispose([t, p]);
  });

  it('needs numClasses for label maps and checks it', () => {
    expect(() => iou.compute(T, P, { ignoreIndex: 255 })).toThrowError(
      new ConfigError("IoU 'iou': numClasses expected when yPred is a label map, got undefined", {
        help: 'pass numClasses, or per-pixel class scores with a trailing class axis',
      }),
    );
    expect(() => iou.compute(T, scores(P, 3), { numClasses: 4, ignoreIndex: 255 })).toThrowError(
      new ShapeError("IoU 'iou': yPred expected 4 classes (numClasses), got 3"),
    );
    expect(() => iou.compute(T, P, { numClasses: 2, ignoreIndex: 255 })).toThrowError(
      "IoU 'iou': yTrue expected integer class ids in [0, 2), got 2",
    );
  });
});

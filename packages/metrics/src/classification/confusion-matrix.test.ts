import { describe, expect, it } from 'vitest';
import { confusionMatrix } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// sklearn.metrics.confusion_matrix docstring: y_true [2, 0, 2, 2, 0, 1], y_pred [0, 0, 2, 2, 0, 2]
// → [[2, 0, 0], [0, 0, 1], [1, 0, 2]]; normalised values worked out from it.
const yTrue = [2, 0, 2, 2, 0, 1];
const yPred = [0, 0, 2, 2, 0, 2];

describe('confusionMatrix', () => {
  it('counts (rows true, columns predicted) as sklearn', () => {
    expect(confusionMatrix.compute(yTrue, yPred, { numClasses: 3 })).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
    // binary probabilities with weights: preds (> 0.5) [1, 0, 0]; (y=0, p=1) has weight 2,
    // (y=1, p=0) weights 1 + 2 → [[0, 2], [3, 0]]
    expect(confusionMatrix.compute([0, 1, 1], [0.9, 0.1, 0.2], { sampleWeight: [2, 1, 2] })).toEqual([
      [0, 2],
      [3, 0],
    ]);
  });

  it('normalises by true, pred or all', () => {
    const close = (a: number[][], b: number[][]): void => a.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(b[i][j], 12)));
    close(confusionMatrix.compute(yTrue, yPred, { numClasses: 3, normalize: 'true' }), [
      [1, 0, 0],
      [0, 0, 1],
      [1 / 3, 0, 2 / 3],
    ]);
    // column 1 sums to 0 → zeroDivision (0)
    close(confusionMatrix.compute(yTrue, yPred, { numClasses: 3, normalize: 'pred' }), [
      [2 / 3, 0, 0],
      [0, 0, 1 / 3],
      [1 / 3, 0, 2 / 3],
    ]);
    expect(confusionMatrix.compute(yTrue, yPred, { numClasses: 3, normalize: 'pred', zeroDivision: NaN })[0][1]).toBeNaN();
    close(confusionMatrix.compute(yTrue, yPred, { numClasses: 3, normalize: 'all' }), [
      [2 / 6, 0, 0],
      [0, 0, 1 / 6],
      [1 / 6, 0, 2 / 6],
    ]);
  });

  it('is empty before K is known, zero when K is given, and merges exactly', () => {
    expect(confusionMatrix().result()).toEqual([]);
    expect(confusionMatrix({ numClasses: 2 }).result()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    const batches = [
      { yTrue: yTrue.slice(0, 2), yPred: yPred.slice(0, 2) },
      { yTrue: yTrue.slice(2, 5), yPred: yPred.slice(2, 5) },
      { yTrue: yTrue.slice(5), yPred: yPred.slice(5) },
    ];
    const { single, merged } = singleAndMerged(() => confusionMatrix({ numClasses: 3 }), batches, 2);
    expect(merged).toEqual(single);
    const cm = confusionMatrix({ numClasses: 3 });
    cm.update(yTrue, yPred);
    cm.reset();
    expect(cm.result()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });
});

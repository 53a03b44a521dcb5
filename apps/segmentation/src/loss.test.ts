// The Dice + cross-entropy loss against a float64 reference written out by hand, and its
// gradient against central finite differences.
import { expectNoLeaks, tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';
import { diceCrossEntropy } from './loss.js';

const C = 3;
const labels = [0, 2, 1, 1, 0, 0, 2, 0]; // [2, 2, 2]: two 2×2 masks
const logitValues = [0.3, -1.2, 0.8, 2.0, 0.1, -0.5, -0.7, 1.5, 0.2, 0.4, 0.9, -1.0, 1.1, -0.3, 0.0, 0.6, 0.6, 0.6, -2.0, 0.5, 1.7, 0.9, -0.4, 0.3];

/** Mean pixel cross-entropy plus 1 − mean over classes of (2·Σ y p + 1) / (Σ y + Σ p + 1), all pixels of the batch pooled. */
function reference(logits: readonly number[]): number {
  const n = labels.length;
  let ce = 0;
  const tp = new Array<number>(C).fill(0);
  const sumTrue = new Array<number>(C).fill(0);
  const sumPred = new Array<number>(C).fill(0);
  for (let i = 0; i < n; i++) {
    const row = logits.slice(i * C, (i + 1) * C);
    const max = Math.max(...row);
    const z = row.reduce((s, v) => s + Math.exp(v - max), 0);
    const p = row.map((v) => Math.exp(v - max) / z);
    ce -= Math.log(p[labels[i]!]!);
    for (let c = 0; c < C; c++) {
      sumPred[c]! += p[c]!;
      if (labels[i] === c) {
        tp[c]! += p[c]!;
        sumTrue[c]! += 1;
      }
    }
  }
  const dice = tp.reduce((s, t, c) => s + (2 * t + 1) / (sumTrue[c]! + sumPred[c]! + 1), 0) / C;
  return ce / n + (1 - dice);
}

describe('diceCrossEntropy', () => {
  const loss = diceCrossEntropy(C);
  const y = (): tf.Tensor => tf.tensor3d(labels, [2, 2, 2], 'int32');

  it('equals the float64 reference', async () => {
    const value = await expectNoLeaks(() => {
      const [yt, yp] = [y(), tf.tensor4d(logitValues, [2, 2, 2, C])];
      const out = loss(yt, yp);
      const v = out.dataSync()[0]!;
      tf.dispose([yt, yp, out]);
      return v;
    }, 'diceCrossEntropy');
    expect(value).toBeCloseTo(reference(logitValues), 5);
    expect(loss.lossName).toBe('dice_cross_entropy');
  });

  it('has the gradient of central finite differences of the reference', () => {
    const yt = y();
    const yp = tf.tensor4d(logitValues, [2, 2, 2, C]);
    const grad = tf.grad((p: tf.Tensor) => loss(yt, p))(yp);
    const g = grad.dataSync();
    tf.dispose([yt, yp, grad]);
    const h = 1e-4;
    for (let i = 0; i < logitValues.length; i++) {
      const plus = [...logitValues];
      const minus = [...logitValues];
      plus[i]! += h;
      minus[i]! -= h;
      expect(g[i]!, `logit ${i}`).toBeCloseTo((reference(plus) - reference(minus)) / (2 * h), 4);
    }
  });
});

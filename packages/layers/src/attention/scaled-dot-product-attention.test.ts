import { describe, expect, it } from 'vitest';
import { ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { causalMask, maskToFloat, scaledDotProductAttention } from '@tensorloom/layers';
import { checkFunctionGradients, compareTensors } from '../internal/testing.js';
import { maskedSoftmax } from './internal/float64-reference.js';

describe('scaledDotProductAttention', () => {
  it('matches a hand-computed example', () => {
    // q = [1, 0]; keys [1, 0], [0, 1]: logits [1/√2, 0] → weights [σ, 1 - σ] with
    // σ = 1/(1 + e^{-1/√2}); values [1, 2], [3, 4] → σ·[1, 2] + (1 - σ)·[3, 4].
    const q = tf.tensor([1, 0], [1, 1, 1, 2]);
    const k = tf.tensor([1, 0, 0, 1], [1, 1, 2, 2]);
    const v = tf.tensor([1, 2, 3, 4], [1, 1, 2, 2]);
    const { output, scores } = scaledDotProductAttention(q, k, v);
    const s = 1 / (1 + Math.exp(-Math.SQRT1_2));
    expect(compareTensors(scores, [s, 1 - s])).toBeNull();
    expect(compareTensors(output, [s + 3 * (1 - s), 2 * s + 4 * (1 - s)])).toBeNull();
  });

  it('masks with a broadcast mask: weights follow a float64 masked softmax; a fully masked row is zeros', () => {
    const [q, k, v] = [rng(1).normalTensor([2, 2, 3, 4]), rng(2).normalTensor([2, 2, 3, 4]), rng(3).normalTensor([2, 2, 3, 2])];
    // (B, 1, 1, S): sample 0 hides key 2, sample 1 hides every key.
    const keep = [[true, true, false], [false, false, false]];
    const mask = tf.tensor(keep.flat(), [2, 1, 1, 3], 'bool');
    const { output, scores } = scaledDotProductAttention(q, k, v, { mask });
    const qa = q.arraySync() as number[][][][];
    const ka = k.arraySync() as number[][][][];
    const expected: number[] = [];
    for (let b = 0; b < 2; b++) {
      for (let h = 0; h < 2; h++) {
        for (let t = 0; t < 3; t++) {
          const logits = ka[b]![h]!.map((key) => key.reduce((acc, kd, d) => acc + kd * qa[b]![h]![t]![d]!, 0) / 2);
          expected.push(...maskedSoftmax(logits, keep[b]!));
        }
      }
    }
    expect(compareTensors(scores, expected)).toBeNull();
    const rows = output.arraySync() as number[][][][];
    expect(rows[1]!.flat(2).every((x) => x === 0)).toBe(true);
  });

  it('has gradients that match finite differences (causal mask)', () => {
    const mask = tf.reshape(causalMask(3, 3), [1, 1, 3, 3]);
    const f = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor => scaledDotProductAttention(q, k, v, { mask }).output;
    const inputs = [rng(4).normalTensor([2, 2, 3, 2]), rng(5).normalTensor([2, 2, 3, 2]), rng(6).normalTensor([2, 2, 3, 2])];
    expect(checkFunctionGradients(f, inputs)).toBeNull();
  });

  it('builds causal and float masks', () => {
    expect(causalMask(3, 3).arraySync()).toEqual([[1, 0, 0], [1, 1, 0], [1, 1, 1]]);
    expect(causalMask(2, 3).arraySync()).toEqual([[1, 0, 0], [1, 1, 0]]);
    expect(maskToFloat(tf.tensor([true, false], [2], 'bool')).arraySync()).toEqual([1, 0]);
    expect(maskToFloat(tf.tensor([0, 2, -1], [3], 'int32')).arraySync()).toEqual([0, 1, 1]);
  });

  it('does not leak and names the bad argument', async () => {
    const [q, k, v] = [tf.ones([1, 2, 3, 4]), tf.ones([1, 2, 5, 4]), tf.ones([1, 2, 5, 6])];
    const mask = tf.ones([1, 1, 3, 5]);
    await expectNoLeaks(() => scaledDotProductAttention(q, k, v, { mask, dropoutRate: 0.5, rng: rng(1) }), 'sdpa');
    expect(() => scaledDotProductAttention(tf.ones([2, 3, 4]), k, v)).toThrowError(
      new ShapeError('scaledDotProductAttention: q must be rank 4 [batch, heads, queryLength, keyDim], got [2, 3, 4]'),
    );
    expect(() => scaledDotProductAttention(q, tf.ones([1, 2, 5, 3]), v)).toThrowError(
      new ShapeError('scaledDotProductAttention: k expected shape [1, 2, keyLength, 4] like q, got [1, 2, 5, 3]'),
    );
    expect(() => scaledDotProductAttention(q, k, tf.ones([1, 2, 4, 6]))).toThrowError(
      new ShapeError('scaledDotProductAttention: v expected shape [1, 2, 5, valueDim] like k, got [1, 2, 4, 6]'),
    );
    expect(() => scaledDotProductAttention(q, k, v, { mask: tf.ones([1, 1, 2, 5]) })).toThrowError(
      new ShapeError('scaledDotProductAttention: mask expected a shape broadcastable to [1, 2, 3, 5], got [1, 1, 2, 5]'),
    );
  });
});

import { describe, expect, it } from 'vitest';
import { tf } from '@tensorloom/core';
import { losses } from '../index.js';

describe('first losses (hand-computed)', () => {
  it('mse', () => {
    expect(losses.meanSquaredError()(tf.tensor2d([[1], [2]]), tf.tensor2d([[1.5], [2]])).dataSync()[0]).toBeCloseTo(0.125, 7);
  });
  it('sparse categorical cross-entropy from logits', () => {
    const v = losses.sparseCategoricalCrossentropy({ fromLogits: true })(tf.tensor1d([1], 'int32'), tf.tensor2d([[0, Math.log(3)]]));
    expect(v.dataSync()[0]).toBeCloseTo(-Math.log(3 / 4), 6);
    expect(() => losses.sparseCategoricalCrossentropy()(tf.tensor1d([2], 'int32'), tf.tensor2d([[0.5, 0.5]]))).toThrowError(
      "Loss 'sparse_categorical_crossentropy': yTrue expected integer labels in [0, 2), got 2 at flat index 0",
    );
  });
});

// Proves that importing nothing but @tensorloom/core makes tfjs-core complete.
import { describe, expect, it } from 'vitest';
import { tf, useBackend } from '@tensorloom/core';

describe('importing @tensorloom/core', () => {
  it('registers gradients: tf.grad of a sum works', async () => {
    await useBackend('cpu');
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(x, x)));
    const dx = g(tf.tensor([1, -2, 3]));
    expect(Array.from(dx.dataSync())).toEqual([2, -4, 6]);
  });

  it('registers gradients of conv2d (a kernel gradient tfjs bundles separately)', () => {
    const x = tf.ones([1, 4, 4, 1]);
    const f = tf.ones([3, 3, 1, 2]);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid')))([x, f]);
    expect(dx!.shape).toEqual([1, 4, 4, 1]);
    expect(df!.shape).toEqual([3, 3, 1, 2]);
    // Each filter tap sees the 2×2 valid outputs, each of gradient 1, over an all-ones input.
    expect(Array.from(df!.dataSync())).toEqual(new Array(18).fill(4));
  });

  it('makes tensors of tfjs-core\'s own Tensor class, so clone, bufferSync and the Cast gradient work', () => {
    const t = tf.tensor([1, 2]);
    expect(t).toBeInstanceOf(tf.Tensor);
    expect(t.constructor).toBe(tf.Tensor);
    expect(Array.from(t.clone().dataSync())).toEqual([1, 2]);
    expect(t.bufferSync().get(1)).toBe(2);
    // tf.avgPool casts its result, so its gradient runs Cast's gradient (dy.clone()).
    const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid')))(tf.ones([1, 2, 2, 1]));
    expect(Array.from(dx.dataSync())).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('registers chained tensor methods', () => {
    const t = tf.tensor([[1, 2], [3, 4]]);
    expect(t.flatten().shape).toEqual([4]);
    expect(Array.from(t.sum().dataSync())).toEqual([10]);
    expect(t.transpose().arraySync()).toEqual([[1, 3], [2, 4]]);
  });
});

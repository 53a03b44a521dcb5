import { describe, expect, it } from 'vitest';
import { expectNoLeaks, rng, tf } from '@tensorloom/core';
import { checkFunctionGradients, compareTensors } from '../internal/testing.js';
import { plainMatMul } from './plain-mat-mul.js';

describe('plainMatMul', () => {
  const a = rng(1).normalTensor([3, 4]);
  const b = rng(2).normalTensor([4, 5]);

  it('multiplies like tf.matMul, with the same gradients, given bᵀ or not', () => {
    expect(compareTensors(plainMatMul(a, b), tf.matMul(a, b), { atol: 1e-6, rtol: 0 })).toBeNull();
    const w = rng(3).normalTensor([3, 5]);
    const reference = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y), w)))([a, b]);
    const bT = tf.transpose(b);
    for (const f of [(x: tf.Tensor, y: tf.Tensor) => plainMatMul(x, y), (x: tf.Tensor, y: tf.Tensor) => plainMatMul(x, y, bT)]) {
      const grads = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x, y), w)))([a, b]);
      grads.forEach((g, i) => expect(compareTensors(g, reference[i]!, { atol: 1e-6, rtol: 0 })).toBeNull());
    }
  });

  it('has gradients that match finite differences', () => {
    expect(checkFunctionGradients((x, y) => plainMatMul(x, y), [a, b])).toBeNull();
  });

  it('does not leak in a product or a gradient', async () => {
    const bT = tf.transpose(b);
    await expectNoLeaks(() => plainMatMul(a, b, bT), 'plainMatMul');
    await expectNoLeaks(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(plainMatMul(x, y, bT)))([a, b]), 'plainMatMul gradient');
  });
});

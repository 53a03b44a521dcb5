import { describe, expect, it } from 'vitest';
import { expectNoLeaks, tf } from '@tensorloom/core';
import { optimizers } from '../index.js';

describe('sgd and adam (hand-computed first steps)', () => {
  it('sgd momentum: b1 = g, b2 = μb + g', async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = optimizers.sgd({ learningRate: 0.1, momentum: 0.5 });
    const g = tf.tensor1d([2, 4]);
    opt.apply({ w }, { w: g }); // creates the momentum slot
    expect(Array.from(w.dataSync())).toEqual([1 - 0.2, -2 - 0.4].map(Math.fround));
    await expectNoLeaks(() => opt.apply({ w }, { w: g })); // b = 0.5·[2,4] + [2,4] = [3, 6]
    const got = Array.from(w.dataSync());
    expect(got[0]).toBeCloseTo(0.8 - 0.3, 6);
    expect(got[1]).toBeCloseTo(-2.4 - 0.6, 6);
    expect(opt.iterations).toBe(2);
    opt.dispose();
  });

  it('adam: the first step moves each weight by lr·sign(g) (up to ε)', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = optimizers.adam({ learningRate: 0.01 });
    opt.apply({ w }, { w: tf.tensor1d([3, -0.5]) });
    const got = Array.from(w.dataSync());
    expect(got[0]).toBeCloseTo(0.99, 6);
    expect(got[1]).toBeCloseTo(-1.99, 6);
    const state = opt.getState();
    expect(Object.keys(state.tensors).sort()).toEqual(['w/m', 'w/v']);
    tf.dispose(Object.values(state.tensors));
    opt.dispose();
  });
});

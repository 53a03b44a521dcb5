import { describe, expect, it } from 'vitest';
import { expectNoLeaks, tf } from '@tensorloom/core';
import { losses } from '../index.js';
import type { Loss } from '../index.js';
import fixtures from '../__fixtures__/losses.json' with { type: 'json' };

// Values and gradients (with respect to yPred) from PyTorch in float64, scripts/make-fixtures.py.

interface Case {
  name: string;
  factory: keyof typeof losses;
  options: Record<string, unknown>;
  yTrue: number[];
  yTrueShape: number[];
  yTrueDtype: 'float32' | 'int32';
  yPred: number[];
  yPredShape: number[];
  sampleWeight: number[] | null;
  sampleWeightShape: number[] | null;
  value: number[];
  valueShape: number[];
  grad: number[];
}

function close(got: ArrayLike<number>, want: number[], label: string): void {
  expect(got.length, `${label} size`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    expect(Math.abs(got[i] - want[i]), `${label}[${i}]: got ${got[i]}, want ${want[i]}`).toBeLessThanOrEqual(2e-5 * (1 + Math.abs(want[i])));
  }
}

describe('losses against PyTorch', () => {
  it.each((fixtures as Case[]).map((c) => [c.name, c] as const))('%s: value and gradient', async (_n, c) => {
    const make = losses[c.factory] as (o: object) => Loss;
    const loss = make(c.options);
    const yTrue = tf.tensor(c.yTrue, c.yTrueShape, c.yTrueDtype);
    const yPred = tf.tensor(c.yPred, c.yPredShape);
    const w = c.sampleWeight === null ? undefined : tf.tensor(c.sampleWeight, c.sampleWeightShape ?? undefined);
    const value = await expectNoLeaks(() => loss(yTrue, yPred, w), c.name);
    expect(value.shape).toEqual(c.valueShape);
    close(value.dataSync(), c.value, `${c.name} value`);
    const grad = tf.grad((p: tf.Tensor) => tf.sum(loss(yTrue, p, w)))(yPred);
    close(grad.dataSync(), c.grad, `${c.name} gradient`);
    tf.dispose([value, grad, yTrue, yPred, w]);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Dense, Sequential, l2, nonNeg } from '@tensorloom/layers';
import { meanSquaredError } from '../losses/mean-squared-error.js';
import { sgd } from '../optimizers/sgd.js';
import { adam } from '../optimizers/adam.js';
import { trainStep } from './train-step.js';
import { valueAndGrads } from './value-and-grads.js';

function linear(seed: number, options: ConstructorParameters<typeof Dense>[0] = { units: 2 }): Sequential {
  return new Sequential([new Dense({ name: 'fc', ...options })], { name: 'net' }).build([null, 3], rng(seed));
}

const x = (): tf.Tensor2D => tf.tensor2d([[1, 2, 3], [-1, 0.5, 2], [0, 1, -1], [2, -2, 1]]);
const y = (): tf.Tensor2D => tf.tensor2d([[1, 0], [0, 1], [1, 1], [-1, 2]]);

describe('valueAndGrads', () => {
  it('keys gradients by dotted path and matches the hand-computed gradient of sum(xW + b)', async () => {
    const model = linear(1);
    const xs = x();
    const { loss, grads } = await expectNoLeaks(() => {
      const r = valueAndGrads(model, () => tf.sum(model.apply(xs)) as tf.Scalar);
      return r;
    }, 'valueAndGrads');
    expect(Object.keys(grads).sort()).toEqual(['fc.bias', 'fc.kernel']);
    // d/dW sum(xW + b) = column sums of x repeated per unit; d/db = batch size.
    const colSums = [2, 1.5, 5];
    expect(Array.from(grads['fc.kernel']!.dataSync())).toEqual(colSums.flatMap((s) => [s, s]));
    expect(Array.from(grads['fc.bias']!.dataSync())).toEqual([4, 4]);
    const w = model.parameters();
    const expected = tf.tidy(() => tf.sum(tf.add(tf.matMul(xs, w['fc.kernel']!), w['fc.bias']!)).dataSync()[0]!);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([loss, grads, xs]);
    model.dispose();
  });

  it('agrees with central finite differences for a squared loss', () => {
    const model = linear(2);
    const xs = x();
    const ys = y();
    const f = (): tf.Scalar => tf.mean(tf.square(tf.sub(model.apply(xs), ys))) as tf.Scalar;
    const { loss, grads } = valueAndGrads(model, f);
    const kernel = model.parameters()['fc.kernel']!;
    const base = kernel.dataSync().slice();
    const g = grads['fc.kernel']!.dataSync();
    const eps = 1e-2;
    for (let i = 0; i < base.length; i++) {
      const at = (d: number): number => {
        const v = base.slice();
        v[i] = v[i]! + d;
        kernel.assign(tf.tensor2d(v, [3, 2]));
        return tf.tidy(() => f().dataSync()[0]!);
      };
      const fd = (at(eps) - at(-eps)) / (2 * eps);
      expect(g[i]).toBeCloseTo(fd, 2);
    }
    tf.dispose([loss, grads, xs, ys]);
    model.dispose();
  });

  it('leaves frozen parameters out', () => {
    const model = new Sequential([new Dense({ units: 2, name: 'a' }), new Dense({ units: 1, name: 'b' })]).build([null, 3], rng(3));
    model.namedChildren().get('a')!.freeze();
    const xs = x();
    const { loss, grads } = valueAndGrads(model, () => tf.sum(model.apply(xs)) as tf.Scalar);
    expect(Object.keys(grads).sort()).toEqual(['b.bias', 'b.kernel']);
    tf.dispose([loss, grads, xs]);
    model.dispose();
  });

  it('names the module when the loss is not a scalar or does not reach the parameters', () => {
    const model = linear(1);
    const xs = x();
    expect(() => valueAndGrads(model, () => model.apply(xs) as unknown as tf.Scalar)).toThrow(
      "valueAndGrads Sequential 'net': lossFn result expected a scalar tensor, got shape [4, 2]",
    );
    expect(() => valueAndGrads(model, () => tf.sum(xs) as tf.Scalar)).toThrow(ConfigError);
    xs.dispose();
    model.dispose();
  });
});

describe('trainStep', () => {
  const mse = meanSquaredError();

  it('accumulating k batches equals one step on the k× batch (with global-norm clipping)', () => {
    const a = linear(7);
    const b = linear(7);
    const xs = x();
    const ys = y();
    const [x1, x2] = tf.split(xs, 2);
    const [y1, y2] = tf.split(ys, 2);
    const lossOf = (m: Sequential) => (batch: { x: tf.Tensor; y: tf.Tensor }) => mse(batch.y, m.apply(batch.x, { training: true })) as tf.Scalar;
    const stepA = trainStep({ model: a, optimizer: sgd({ learningRate: 0.1 }), loss: lossOf(a), accumulate: 2, clip: { globalNorm: 0.5 } });
    const stepB = trainStep({ model: b, optimizer: sgd({ learningRate: 0.1 }), loss: lossOf(b), clip: { globalNorm: 0.5 } });
    for (let round = 0; round < 3; round++) {
      const o1 = stepA({ x: x1!, y: y1! });
      expect(o1.updated).toBe(false);
      expect(stepA.pending).toBe(1);
      const o2 = stepA({ x: x2!, y: y2! });
      expect(o2.updated).toBe(true);
      expect(stepA.pending).toBe(0);
      const o3 = stepB({ x: xs, y: ys });
      tf.dispose([o1.loss, o2.loss, o3.loss]);
    }
    const pa = a.parameters();
    const pb = b.parameters();
    for (const k of Object.keys(pa)) {
      const da = pa[k]!.dataSync();
      const db = pb[k]!.dataSync();
      for (let i = 0; i < da.length; i++) expect(da[i]).toBeCloseTo(db[i]!, 6);
    }
    // The step moved the weights at all.
    const fresh = linear(7);
    expect(Array.from(fresh.parameters()['fc.kernel']!.dataSync())).not.toEqual(Array.from(pa['fc.kernel']!.dataSync()));
    tf.dispose([xs, ys, x1!, x2!, y1!, y2!]);
    [a, b, fresh].forEach((m) => m.dispose());
    stepA.dispose();
  });

  it('adds the regularization penalty to the loss, applies constraints, and leaks nothing in steady state', async () => {
    const model = linear(4, { units: 2, kernelRegularizer: l2(0.5), kernelConstraint: nonNeg() });
    const xs = x();
    const ys = y();
    const opt = adam({ learningRate: 0.05 });
    const step = trainStep({ model, optimizer: opt, loss: (b: { x: tf.Tensor; y: tf.Tensor }) => mse(b.y, model.apply(b.x, { training: true })) as tf.Scalar });
    const expected = tf.tidy(() => {
      const w = model.parameters();
      const data = mse(ys, tf.add(tf.matMul(xs, w['fc.kernel']!), w['fc.bias']!));
      return tf.add(data, tf.mul(0.5, tf.sum(tf.square(w['fc.kernel']!)))).dataSync()[0]!;
    });
    const first = step({ x: xs, y: ys });
    expect(first.loss.dataSync()[0]).toBeCloseTo(expected, 5);
    first.loss.dispose();
    expect(Math.min(...model.parameters()['fc.kernel']!.dataSync())).toBeGreaterThanOrEqual(0);
    await expectNoLeaks(() => {
      for (let i = 0; i < 5; i++) step({ x: xs, y: ys }).loss.dispose();
    }, 'trainStep');
    tf.dispose([xs, ys]);
    opt.dispose();
    model.dispose();
  });

  it('checks its options', () => {
    const model = linear(1);
    const opt = sgd({ learningRate: 0.1 });
    const loss = (): tf.Scalar => tf.scalar(0);
    expect(() => trainStep({ model, optimizer: opt, loss, accumulate: 0 })).toThrow('trainStep: accumulate expected an integer >= 1, got 0');
    expect(() => trainStep({ model, optimizer: opt, loss, clip: { globalNorm: -1 } })).toThrow('trainStep: clip.globalNorm expected a finite number > 0, got -1');
    model.dispose();
  });
});

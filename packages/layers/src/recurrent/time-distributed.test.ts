import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Dense, LSTM, Module, TimeDistributed, timeDistributed, timeDistributedOutputShape } from '@tensorloom/layers';
import type { ApplyOptions, Shape } from '@tensorloom/layers';
import { checkModuleGradients, compareTensors } from '../internal/testing.js';

describe('TimeDistributed', () => {
  it.each([
    { input: [null, 5, 4], out: [null, 5, 3] },
    { input: [2, 5, 4], out: [2, 5, 3] },
    { input: [1, 1, 4], out: [1, 1, 3] },
    { input: [null, 3, 2, 4], out: [null, 3, 2, 3] },
  ])('infers $input → $out and matches a real apply', ({ input, out }) => {
    const td = new TimeDistributed({ layer: new Dense({ units: 3 }) }).build(input, rng(1));
    expect(td.outputShape(input)).toEqual(out);
    const y = td.apply(tf.zeros(input.map((d) => d ?? 2)));
    expect(y.shape).toEqual(out.map((d) => d ?? 2));
    td.dispose();
  });

  it('runs a recurrent layer over a sequence of sequences', () => {
    const td = new TimeDistributed({ layer: new LSTM({ units: 4 }) }).build([null, 3, 5, 2], rng(1));
    expect(td.outputShape([null, 3, 5, 2])).toEqual([null, 3, 4]);
    expect(td.apply(tf.ones([2, 3, 5, 2])).shape).toEqual([2, 3, 4]);
    expect(timeDistributedOutputShape([4, 6, 8], (s) => [s[0]!, 2])).toEqual([4, 6, 2]);
  });

  it('applies the same module to every step, and accepts any number of steps', () => {
    const dense = new Dense({ units: 2, activation: 'tanh' });
    const td = new TimeDistributed({ layer: dense }).build([null, 3, 4], rng(2));
    const x = rng(3).normalTensor([2, 7, 4]); // 7 steps although built with 3
    const y = td.apply(x);
    for (const t of [0, 6]) {
      const step = dense.apply(tf.reshape(tf.slice(x, [0, t, 0], [2, 1, 4]), [2, 4]));
      expect(compareTensors(tf.reshape(tf.slice(y, [0, t, 0], [2, 1, 2]), [2, 2]), step, { atol: 0, rtol: 0 })).toBeNull();
    }
    expect(timeDistributed(tf.ones([2, 3, 1]), (f) => tf.concat([f, f], 1)).shape).toEqual([2, 3, 2]);
  });

  it('matches tfjs-layers timeDistributed(dense) in outputs and gradients', () => {
    const x = rng(4).normalTensor([2, 3, 4]);
    const td = new TimeDistributed({ layer: new Dense({ units: 3, activation: 'relu' }) }).build([null, 3, 4], rng(5));
    const inner = td.layer as Dense;
    inner.bias!.assign(rng(6).normalTensor([3]));
    const ref = tfl.layers.timeDistributed({ layer: tfl.layers.dense({ units: 3, activation: 'relu' }) });
    tf.dispose(ref.apply(x) as tf.Tensor);
    ref.setWeights([inner.kernel!, inner.bias!]);
    expect(compareTensors(td.apply(x), ref.apply(x) as tf.Tensor)).toBeNull();
    const w = rng(7).normalTensor([2, 3, 3]);
    const loss = (f: (t: tf.Tensor) => tf.Tensor) => (t: tf.Tensor): tf.Scalar => tf.sum(tf.mul(f(t), w));
    expect(compareTensors(tf.grad(loss((t) => td.apply(t)))(x), tf.grad(loss((t) => ref.apply(t) as tf.Tensor))(x))).toBeNull();
    const refVars = ref.trainableWeights.map((v) => v.read() as tf.Variable);
    const gOurs = tf.variableGrads(() => loss((t) => td.apply(t))(x), [inner.kernel!, inner.bias!]).grads;
    const gRef = tf.variableGrads(() => loss((t) => ref.apply(t) as tf.Tensor)(x), refVars).grads;
    expect(compareTensors(gOurs[inner.kernel!.name]!, gRef[refVars[0]!.name]!)).toBeNull();
    expect(compareTensors(gOurs[inner.bias!.name]!, gRef[refVars[1]!.name]!)).toBeNull();
  });

  it('has gradients that match finite differences', () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2, activation: 'gelu' }) }).build([null, 3, 3], rng(8));
    expect(checkModuleGradients(td, rng(9).normalTensor([2, 3, 3]))).toBeNull();
  });

  it('folds the mask for the inner module and passes it on unchanged', () => {
    let seen: number[] | null = null;
    class Probe extends Module {
      protected override onBuild(): void {}
      override outputShape(s: Shape): Shape {
        return s;
      }
      protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
        seen = options.mask?.shape ?? null;
        return tf.clone(x);
      }
    }
    const td = new TimeDistributed({ layer: new Probe() });
    const mask = tf.ones([2, 5], 'bool');
    td.apply(tf.zeros([2, 5, 3]), { mask });
    expect(seen).toEqual([10]);
    expect(td.computeMask(tf.zeros([2, 5, 3]), mask)).toBe(mask);
    expect(Object.keys(new TimeDistributed({ layer: new Dense({ units: 1, name: 'head' }) }).build([null, 2, 2]).parameters())).toEqual(['head.kernel', 'head.bias']);
  });

  it('names the problem in its errors', () => {
    expect(() => new TimeDistributed({ layer: 'dense' as never, name: 'td' })).toThrowError(new ConfigError("TimeDistributed 'td': layer expected a Module, got dense"));
    expect(() => new TimeDistributed({ layer: new Dense({ units: 2 }), name: 'td' }).build([null, 4])).toThrowError(
      new ShapeError("TimeDistributed 'td': input expected rank >= 3 [batch, time, ...], got [null, 4]"),
    );
    const td = new TimeDistributed({ layer: new Dense({ units: 2 }), name: 'td' }).build([null, 3, 4]);
    expect(() => td.apply(tf.zeros([2, 4]))).toThrowError(new ShapeError("TimeDistributed 'td': input expected rank >= 3 [batch, time, ...], got [2, 4]"));
    expect(() => td.apply(tf.zeros([2, 3, 5]))).toThrowError(new ShapeError("TimeDistributed 'td': input expected shape [null, null, 4], got [2, 3, 5]"));
    expect(() => td.apply(tf.zeros([2, 3, 4, 1]))).toThrowError(new ShapeError("TimeDistributed 'td': input expected shape [null, null, 4], got [2, 3, 4, 1]"));
  });

  it('does not leak in inference or under a gradient', async () => {
    const td = new TimeDistributed({ layer: new Dense({ units: 2 }) }).build([null, 3, 4], rng(1));
    const x = tf.ones([2, 3, 4]);
    const mask = tf.ones([2, 3], 'bool');
    await expectNoLeaks(() => td.apply(x, { mask }), 'TimeDistributed apply');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(td.apply(x)) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'TimeDistributed gradient');
  });
});

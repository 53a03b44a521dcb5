import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Dense, MultiAxisDense, multiAxisDense, multiAxisDenseOutputShape } from '@tensorloom/layers';
import { checkModuleGradients, compareTensors } from '../internal/testing.js';

describe('MultiAxisDense', () => {
  it.each([
    { units: [2, 3], inputAxes: 1, input: [null, 4], out: [null, 2, 3], kernel: [4, 2, 3] },
    { units: [2, 3], inputAxes: 1, input: [1, 5, 4], out: [1, 5, 2, 3], kernel: [4, 2, 3] },
    { units: 6, inputAxes: 2, input: [null, 5, 2, 3], out: [null, 5, 6], kernel: [2, 3, 6] },
    { units: [6], inputAxes: 2, input: [3, 2, 3], out: [3, 6], kernel: [2, 3, 6] },
  ])('maps $input to $out with a kernel $kernel', ({ units, inputAxes, input, out, kernel }) => {
    const layer = new MultiAxisDense({ units, inputAxes }).build(input, rng(1));
    expect(layer.kernel!.shape).toEqual(kernel);
    expect(layer.bias!.shape).toEqual(kernel.slice(inputAxes));
    expect(layer.outputShape(input)).toEqual(out);
    const y = layer.apply(tf.zeros(input.map((d) => d ?? 2)));
    expect(y.shape).toEqual(out.map((d) => d ?? 2));
    tf.dispose(y);
    layer.dispose();
  });

  it('computes Σ x·kernel + bias with hand-computed values', () => {
    // x [1, 2, 2] = [[1, 2], [3, 4]] contracted over both axes with kernel[i][j][0] = [[1, 0], [0, 1]]
    // (the trace) and kernel[i][j][1] = all ones (the sum): [1 + 4, 10] + bias [0.5, -1].
    const layer = new MultiAxisDense({ units: 2, inputAxes: 2 }).build([null, 2, 2]);
    layer.loadState({ kernel: tf.tensor([[[1, 1], [0, 1]], [[0, 1], [1, 1]]]), bias: tf.tensor([0.5, -1]) });
    expect(layer.apply(tf.tensor([[[1, 2], [3, 4]]])).arraySync()).toEqual([[5.5, 9]]);
  });

  it('equals Dense when it contracts one axis into one axis (same kernel)', () => {
    const ours = new MultiAxisDense({ units: 3 }).build([null, 2, 4], rng(2));
    const dense = new Dense({ units: 3 }).build([null, 2, 4]);
    dense.loadState({ kernel: ours.kernel!, bias: rng(3).normalTensor([3]) });
    ours.loadState({ kernel: tf.clone(ours.kernel!), bias: dense.bias! });
    const x = rng(4).normalTensor([2, 2, 4]);
    expect(compareTensors(ours.apply(x), dense.apply(x))).toBeNull();
  });

  it('has gradients that match finite differences, splitting and merging heads', () => {
    const split = new MultiAxisDense({ units: [2, 2] }).build([null, 3, 3], rng(5));
    split.loadState({ kernel: tf.clone(split.kernel!), bias: rng(6).normalTensor([2, 2]) });
    expect(checkModuleGradients(split, rng(7).normalTensor([2, 3, 3]))).toBeNull();
    const merge = new MultiAxisDense({ units: 3, inputAxes: 2, useBias: false }).build([null, 2, 2, 2], rng(8));
    expect(merge.bias).toBeNull();
    expect(checkModuleGradients(merge, rng(9).normalTensor([2, 2, 2, 2]))).toBeNull();
  });

  it('does not leak in inference or under a gradient', async () => {
    const layer = new MultiAxisDense({ units: [2, 3] }).build([null, 4], rng(1));
    const x = tf.ones([2, 4]);
    await expectNoLeaks(() => layer.apply(x).dispose(), 'MultiAxisDense apply');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'MultiAxisDense gradient');
  });

  it('names itself and the expected value in errors', () => {
    expect(() => new MultiAxisDense({ units: [2, 0], name: 'q' })).toThrowError(
      new ConfigError("MultiAxisDense 'q': units expected a positive integer or a non-empty list of them, got [2,0]"),
    );
    expect(() => new MultiAxisDense({ units: 2, inputAxes: 0, name: 'q' })).toThrowError(
      new ConfigError("MultiAxisDense 'q': inputAxes expected a positive integer, got 0"),
    );
    expect(() => new MultiAxisDense({ units: 2, inputAxes: 2, name: 'q' }).build([null, 4])).toThrowError(
      new ShapeError("MultiAxisDense 'q': input expected rank >= 3 with the last 2 sizes known, got [null, 4]"),
    );
    const layer = new MultiAxisDense({ units: 2, inputAxes: 2, name: 'o' }).build([null, 2, 3]);
    expect(() => layer.apply(tf.zeros([1, 3, 2]))).toThrowError(
      new ShapeError("MultiAxisDense 'o': input trailing sizes expected [2, 3], got shape [1, 3, 2]"),
    );
  });

  it('exposes the pure forward and shape functions', () => {
    expect(multiAxisDenseOutputShape([null, 7, 4], [2, 2], 1)).toEqual([null, 7, 2, 2]);
    expect(multiAxisDense(tf.ones([1, 2]), tf.ones([2, 1, 3]), null, 1).arraySync()).toEqual([[[2, 2, 2]]]);
  });
});

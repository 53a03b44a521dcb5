import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Flatten, Identity, Permute, Reshape } from '@tensorloom/layers';
import { checkFunctionGradients, compareTensors } from '../internal/testing.js';

describe('Flatten, Reshape, Permute, Identity', () => {
  it.each([
    { input: [null, 28, 28, 1], out: [null, 784] },
    { input: [1, 3, 4], out: [1, 12] },
    { input: [null, 5], out: [null, 5] },
  ])('Flatten $input → $out, as tfjs-layers', ({ input, out }) => {
    expect(new Flatten().outputShape(input)).toEqual(out);
    const x = rng(1).normalTensor(input.map((d) => d ?? 2));
    // tfjs-layers refuses rank 2 (Keras accepts it as a no-op, and so do we).
    const expected = x.rank === 2 ? x : (tfl.layers.flatten().apply(x) as tf.Tensor);
    expect(compareTensors(new Flatten().apply(x), expected)).toBeNull();
  });

  it('Reshape infers -1 and matches tfjs-layers', () => {
    const layer = new Reshape({ targetShape: [4, -1] });
    expect(layer.outputShape([null, 12])).toEqual([null, 4, 3]);
    expect(layer.outputShape([null, null])).toEqual([null, 4, null]);
    const x = rng(2).normalTensor([2, 12]);
    expect(compareTensors(layer.apply(x), tfl.layers.reshape({ targetShape: [4, 3] }).apply(x) as tf.Tensor)).toBeNull();
    expect(() => new Reshape({ targetShape: [5, -1], name: 'r' }).outputShape([null, 12])).toThrowError(
      new ShapeError("Reshape 'r': targetShape [5, -1] expected 12 elements per example, got input shape [null, 12]"),
    );
    expect(() => new Reshape({ targetShape: [-1, -1], name: 'r' })).toThrowError(
      new ConfigError("Reshape 'r': targetShape expected positive integers and at most one -1, got [-1, -1]"),
    );
  });

  it('Permute matches tfjs-layers and checks rank', () => {
    const layer = new Permute({ dims: [3, 1, 2], name: 'p' });
    expect(layer.outputShape([null, 2, 3, 4])).toEqual([null, 4, 2, 3]);
    const x = rng(3).normalTensor([2, 2, 3, 4]);
    expect(compareTensors(layer.apply(x), tfl.layers.permute({ dims: [3, 1, 2] }).apply(x) as tf.Tensor)).toBeNull();
    expect(() => layer.apply(tf.zeros([2, 3]))).toThrowError("Permute 'p': input expected rank 4, got [2, 3]");
    expect(() => new Permute({ dims: [0, 1], name: 'p' })).toThrowError("Permute 'p': dims expected a permutation of 1…2, got [0, 1]");
  });

  it('gradients flow through unchanged (finite differences)', () => {
    const x = rng(4).normalTensor([2, 2, 3]);
    for (const layer of [new Flatten(), new Reshape({ targetShape: [3, 2] }), new Permute({ dims: [2, 1] }), new Identity()]) {
      expect(checkFunctionGradients((t) => layer.apply(t), [x])).toBeNull();
    }
  });

  it('errors on bad input and does not leak', async () => {
    expect(() => new Flatten({ name: 'f' }).apply(tf.zeros([3]))).toThrowError("Flatten 'f': input expected rank >= 2 [batch, ...], got [3]");
    expect(() => new Flatten().outputShape([null, null, 3])).toThrowError('Flatten: input axes after the batch must be known, got [null, null, 3]');
    const x = tf.ones([2, 3, 4]);
    await expectNoLeaks(() => {
      for (const layer of [new Flatten(), new Reshape({ targetShape: [12] }), new Permute({ dims: [2, 1] }), new Identity()]) {
        layer.apply(x).dispose();
        tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t)))(x).dispose();
      }
    });
  });
});

import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Add, Concatenate, Multiply, concatenateOutputShape } from '@tensorloom/layers';
import { checkFunctionGradients, compareTensors } from '../internal/testing.js';

const a = rng(1).normalTensor([2, 3, 4]);
const b = rng(2).normalTensor([2, 3, 4]);
const c = rng(3).normalTensor([2, 3, 2]);

describe('Add, Multiply, Concatenate', () => {
  it('match tfjs-layers', () => {
    expect(compareTensors(new Add().apply([a, b]), tfl.layers.add().apply([a, b]) as tf.Tensor)).toBeNull();
    expect(compareTensors(new Multiply().apply([a, b, a]), tfl.layers.multiply().apply([a, b, a]) as tf.Tensor)).toBeNull();
    expect(compareTensors(new Concatenate().apply([a, c]), tfl.layers.concatenate().apply([a, c]) as tf.Tensor)).toBeNull();
    expect(compareTensors(new Concatenate({ axis: 1 }).apply([a, b]), tfl.layers.concatenate({ axis: 1 }).apply([a, b]) as tf.Tensor)).toBeNull();
  });

  it('infer shapes', () => {
    expect(new Multiply().outputShape([[null, 3, 4], [null, 1, 4]])).toEqual([null, 3, 4]);
    expect(concatenateOutputShape([[null, 3, 4], [null, 3, 2]], -1)).toEqual([null, 3, 6]);
    expect(concatenateOutputShape([[1, 3, 4], [1, 5, 4]], 1)).toEqual([1, 8, 4]);
  });

  it('have correct gradients for every input', () => {
    expect(checkFunctionGradients((x, y) => new Multiply().apply([x, y]), [a, b])).toBeNull();
    expect(checkFunctionGradients((x, y) => new Concatenate().apply([x, y]), [a, c])).toBeNull();
    expect(checkFunctionGradients((x, y) => new Add().apply([x, y]), [a, b])).toBeNull();
  });

  it('report mismatches by name', () => {
    expect(() => new Concatenate({ name: 'cat' }).apply([a, tf.zeros([2, 4, 2])])).toThrowError(
      new ShapeError("Concatenate 'cat': inputs must match except on axis -1, got [2, 3, 4] and [2, 4, 2]"),
    );
    expect(() => new Add({ name: 'sum' }).apply([a])).toThrowError(/^Add 'sum': input expected a list of at least 2 tensors/);
    expect(() => new Concatenate({ axis: 0, name: 'cat' })).toThrowError(new ConfigError("Concatenate 'cat': axis expected a non-zero integer (0 is the batch), got 0"));
  });

  it('do not leak', async () => {
    await expectNoLeaks(() => {
      new Add().apply([a, b, a]).dispose();
      new Multiply().apply([a, b]).dispose();
      tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(new Concatenate().apply([x, y])))([a, c]).forEach((g) => g.dispose());
    });
  });
});

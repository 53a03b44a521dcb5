import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { Cropping2D, ZeroPadding2D, cropping2d, cropping2dOutputShape, zeroPadding2d, zeroPadding2dOutputShape } from '@tensorloom/layers';
import type { Sides2D } from '@tensorloom/layers';
import { checkModuleGradients, compareTensors } from '../internal/testing.js';
import { compareWithReference } from './internal/parity.js';

const sides: { given: Sides2D; rows: [number, number]; cols: [number, number] }[] = [
  { given: 1, rows: [1, 1], cols: [1, 1] },
  { given: [2, 1], rows: [2, 2], cols: [1, 1] },
  { given: [[0, 2], [1, 0]], rows: [0, 2], cols: [1, 0] },
];

describe('ZeroPadding2D', () => {
  it.each(sides)('pads $given: shapes (batch null and 1) and tfjs-layers parity', ({ given, rows, cols }) => {
    const layer = new ZeroPadding2D({ padding: given });
    const h = 3 + rows[0] + rows[1];
    const w = 4 + cols[0] + cols[1];
    expect(layer.outputShape([null, 3, 4, 2])).toEqual([null, h, w, 2]);
    expect(layer.outputShape([1, null, 4, 2])).toEqual([1, null, w, 2]);
    const ref = tfl.layers.zeroPadding2d({ padding: given as never });
    expect(ref.computeOutputShape([null, 3, 4, 2])).toEqual([null, h, w, 2]);
    expect(compareWithReference(layer, ref, rng(1).normalTensor([2, 3, 4, 2]), [])).toBeNull();
  });

  it('puts zeros where asked (hand-checked) and defaults to 1 on every side', () => {
    expect(zeroPadding2d(tf.ones([1, 1, 1, 1]), [[1, 0], [0, 2]]).arraySync()).toEqual([[[[0], [0], [0]], [[1], [0], [0]]]]);
    expect(new ZeroPadding2D().apply(tf.ones([1, 2, 2, 1])).shape).toEqual([1, 4, 4, 1]);
    expect(zeroPadding2dOutputShape([1, 2, 2, 1])).toEqual([1, 4, 4, 1]);
  });

  it('has finite-difference gradients and does not leak', async () => {
    const layer = new ZeroPadding2D({ padding: [[1, 0], [0, 2]] });
    const x = rng(2).normalTensor([1, 2, 3, 2]);
    expect(checkModuleGradients(layer, x)).toBeNull();
    await expectNoLeaks(() => layer.apply(x).dispose(), 'ZeroPadding2D apply');
    await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t)))(x).dispose(), 'ZeroPadding2D gradient');
  });

  it('names itself, the argument and the expected value in errors', () => {
    expect(() => new ZeroPadding2D({ padding: -1, name: 'pad' })).toThrowError(
      new ConfigError("ZeroPadding2D 'pad': padding expected a non-negative integer, [h, w] or [[top, bottom], [left, right]] of non-negative integers, got -1"),
    );
    expect(() => new ZeroPadding2D({ padding: [[1, 2], 3] as never, name: 'pad' })).toThrowError(/^ZeroPadding2D 'pad': padding expected .* got \[\[1,2\],3\]$/);
    expect(() => new ZeroPadding2D({ name: 'pad' }).apply(tf.zeros([2, 3]))).toThrowError(
      new ShapeError("ZeroPadding2D 'pad': input must be rank 4 [batch, h, w, c], got [2, 3]"),
    );
  });
});

describe('Cropping2D', () => {
  it.each(sides)('crops $given: shapes (batch null and 1) and tfjs-layers parity', ({ given, rows, cols }) => {
    const layer = new Cropping2D({ cropping: given });
    const h = 5 - rows[0] - rows[1];
    const w = 6 - cols[0] - cols[1];
    expect(layer.outputShape([null, 5, 6, 2])).toEqual([null, h, w, 2]);
    expect(layer.outputShape([1, 5, null, 2])).toEqual([1, h, null, 2]);
    const ref = tfl.layers.cropping2D({ cropping: given as never });
    expect(ref.computeOutputShape([null, 5, 6, 2])).toEqual([null, h, w, 2]);
    expect(compareWithReference(layer, ref, rng(3).normalTensor([2, 5, 6, 2]), [])).toBeNull();
  });

  it('undoes ZeroPadding2D with the same amounts (round trip)', () => {
    const x = rng(4).normalTensor([2, 3, 4, 2]);
    const amounts: Sides2D = [[2, 0], [1, 3]];
    expect(compareTensors(cropping2d(zeroPadding2d(x, amounts), amounts), x, { atol: 0, rtol: 0 })).toBeNull();
  });

  it('has finite-difference gradients and does not leak', async () => {
    const layer = new Cropping2D({ cropping: [[1, 0], [0, 2]] });
    const x = rng(5).normalTensor([1, 3, 4, 2]);
    expect(checkModuleGradients(layer, x)).toBeNull();
    await expectNoLeaks(() => layer.apply(x).dispose(), 'Cropping2D apply');
    await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t)))(x).dispose(), 'Cropping2D gradient');
  });

  it('names itself, the argument and the expected value in errors', () => {
    expect(() => new Cropping2D({ cropping: [1.5, 1], name: 'crop' })).toThrowError(/^Cropping2D 'crop': cropping expected a non-negative integer/);
    const layer = new Cropping2D({ cropping: 2, name: 'crop' });
    expect(() => layer.apply(tf.zeros([1, 4, 6, 1]))).toThrowError(new ShapeError("Cropping2D 'crop': input axis 1 expected > 4 (cropping 2 + 2), got shape [1, 4, 6, 1]"));
    expect(() => layer.build([null, 8, 3, 1])).toThrowError(new ShapeError("Cropping2D 'crop': input axis 2 expected > 4 (cropping 2 + 2), got shape [null, 8, 3, 1]"));
    expect(() => cropping2dOutputShape([8, 8], 1)).toThrowError(new ShapeError('cropping2d: input must be rank 4 [batch, h, w, c], got [8, 8]'));
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { SinusoidalPositionalEncoding, sinusoidalPositionalEncoding, sinusoidalPositionalEncodingOutputShape } from '@tensorloom/layers';
import { checkModuleGradients, compareTensors } from '../internal/testing.js';

describe('sinusoidalPositionalEncoding', () => {
  it('matches the formula of Vaswani et al. at hand-computed points', () => {
    // d = 4: columns (sin, cos) at frequency 1 and at 1/10000^(2/4) = 1/100.
    const table = sinusoidalPositionalEncoding(3, 4);
    expect(compareTensors(table, [
      0, 1, 0, 1,
      Math.sin(1), Math.cos(1), Math.sin(0.01), Math.cos(0.01),
      Math.sin(2), Math.cos(2), Math.sin(0.02), Math.cos(0.02),
    ], { atol: 1e-7, rtol: 0 })).toBeNull();
    // d = 3 (odd): the last column is a sine at frequency 1/10000^(2/3).
    const odd = sinusoidalPositionalEncoding(2, 3).arraySync();
    expect(odd[1]![2]).toBeCloseTo(Math.sin(1 / Math.pow(10000, 2 / 3)), 7);
    // Base 100, d = 4: frequencies 1 and 1/100^(2/4) = 1/10.
    expect(compareTensors(sinusoidalPositionalEncoding(2, 4, 100), [0, 1, 0, 1, Math.sin(1), Math.cos(1), Math.sin(0.1), Math.cos(0.1)], { atol: 1e-7, rtol: 0 })).toBeNull();
  });

  it('rejects bad sizes', () => {
    expect(() => sinusoidalPositionalEncoding(0, 4)).toThrowError(
      new ConfigError('sinusoidalPositionalEncoding: length and dim expected positive integers, got 0 and 4'),
    );
  });
});

describe('SinusoidalPositionalEncoding', () => {
  it.each([[1, 3, 4], [2, 5, 6], [3, 2, 3]])('adds the table to an input %j', (...shape) => {
    const layer = new SinusoidalPositionalEncoding();
    expect(layer.outputShape([null, shape[1]!, shape[2]!])).toEqual([null, shape[1], shape[2]]);
    expect(sinusoidalPositionalEncodingOutputShape([null, 4, 2])).toEqual([null, 4, 2]);
    const x = rng(1).normalTensor(shape);
    const expected = tf.add(x, sinusoidalPositionalEncoding(shape[1]!, shape[2]!));
    expect(compareTensors(layer.apply(x), expected, { atol: 0, rtol: 0 })).toBeNull();
  });

  it('serves longer and shorter sequences and other widths from its cache', () => {
    const layer = new SinusoidalPositionalEncoding({ base: 500 });
    for (const [t, d] of [[2, 4], [7, 4], [3, 4], [5, 6]] as const) {
      const y = layer.apply(tf.zeros([1, t, d]));
      expect(compareTensors(y.reshape([t, d]), sinusoidalPositionalEncoding(t, d, 500), { atol: 0, rtol: 0 })).toBeNull();
    }
  });

  it('passes gradients through unchanged (finite differences) and does not leak', async () => {
    const layer = new SinusoidalPositionalEncoding();
    const x = rng(2).normalTensor([2, 3, 4]);
    expect(checkModuleGradients(layer, x)).toBeNull();
    expect(Object.keys(layer.parameters())).toEqual([]);
    await expectNoLeaks(() => layer.apply(x).dispose(), 'SinusoidalPositionalEncoding apply');
    await expectNoLeaks(() => tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t)))(x).dispose(), 'SinusoidalPositionalEncoding gradient');
  });

  it('names itself and the expected value in errors', () => {
    expect(() => new SinusoidalPositionalEncoding({ base: 0, name: 'pe' })).toThrowError(
      new ConfigError("SinusoidalPositionalEncoding 'pe': base expected a positive number, got 0"),
    );
    expect(() => new SinusoidalPositionalEncoding({ name: 'pe' }).apply(tf.zeros([2, 4]))).toThrowError(
      new ShapeError("SinusoidalPositionalEncoding 'pe': input must be rank 3 [batch, time, features], got [2, 4]"),
    );
  });
});

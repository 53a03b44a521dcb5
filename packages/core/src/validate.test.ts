import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { tf } from './index.js';
import { describeValue, finiteNumber, inRange, intInRange, invalidOption, oneOf, positiveInt } from './validate.js';

describe('option validators', () => {
  it('return valid values unchanged', () => {
    expect(inRange('u', 'rate', 0.5, { min: 0, max: 1, maxOpen: true })).toBe(0.5);
    expect(inRange('u', 'rate', 0, { min: 0, max: 1, maxOpen: true })).toBe(0);
    expect(finiteNumber('u', 'x', -3.5)).toBe(-3.5);
    expect(intInRange('u', 'k', 10, 0, 10)).toBe(10);
    expect(intInRange('u', 'offset', -4)).toBe(-4);
    expect(positiveInt('u', 'n', 1)).toBe(1);
    expect(oneOf('u', 'mode', 'b', ['a', 'b'] as const)).toBe('b');
  });

  it.each([
    [() => inRange('Dropout', 'rate', 1, { min: 0, max: 1, maxOpen: true }), 'Dropout: rate expected a number in [0, 1), got 1'],
    [() => inRange('u', 'p', -0.1, { min: 0, max: 1 }), 'u: p expected a number in [0, 1], got -0.1'],
    [() => inRange('u', 'p', 0, { min: 0, max: 1, minOpen: true, maxOpen: true }), 'u: p expected a number in (0, 1), got 0'],
    [() => inRange('u', 'eps', 0, { min: 0, minOpen: true }), 'u: eps expected a number > 0, got 0'],
    [() => inRange('u', 'eps', -1, { min: 0 }), 'u: eps expected a number >= 0, got -1'],
    [() => inRange('u', 'q', 2, { max: 1 }), 'u: q expected a number <= 1, got 2'],
    [() => inRange('u', 'q', 1, { max: 1, maxOpen: true }), 'u: q expected a number < 1, got 1'],
    [() => inRange('u', 'x', Infinity, { min: 0 }), 'u: x expected a number >= 0, got Infinity'],
    [() => finiteNumber('u', 'x', NaN), 'u: x expected a finite number, got NaN'],
    [() => finiteNumber('u', 'x', '3'), "u: x expected a finite number, got '3'"],
    [() => intInRange('u', 'k', 1.5, 0, 10), 'u: k expected an integer in [0, 10], got 1.5'],
    [() => intInRange('u', 'k', -1, 0), 'u: k expected an integer >= 0, got -1'],
    [() => intInRange('u', 'k', 0.5), 'u: k expected an integer, got 0.5'],
    [() => positiveInt('u', 'units', 0), 'u: units expected an integer >= 1, got 0'],
    [() => positiveInt('u', 'units', undefined), 'u: units expected an integer >= 1, got undefined'],
    [() => oneOf('u', 'average', 'mean', ['macro', 'micro']), "u: average expected one of 'macro', 'micro', got 'mean'"],
    [() => oneOf('u', 'average', 3, ['macro']), "u: average expected one of 'macro', got 3"],
    [() => invalidOption('u', 'size', 'an odd integer', 4, 'kernels need a centre'), 'u: size expected an odd integer, got 4\nhelp: kernels need a centre'],
  ])('%# rejects with one message format', (fn, message) => {
    expect(fn).toThrowError(new ConfigError(message.split('\nhelp: ')[0]!, message.includes('\nhelp: ') ? { help: message.split('\nhelp: ')[1]! } : {}));
  });

  it('describes values the same way everywhere', () => {
    const t = tf.zeros([2, 3]);
    expect([undefined, null, 'a', 1, NaN, true, [1, 'b'], t, () => 0, {}].map(describeValue)).toEqual([
      'undefined', 'null', "'a'", '1', 'NaN', 'true', "[1, 'b']", 'a tensor [2, 3]', 'a function', 'an object',
    ]);
    t.dispose();
  });
});

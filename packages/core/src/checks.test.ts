import { describe, expect, it } from 'vitest';
import { ConfigError, DTypeError, ShapeError, TensorloomError, ValueError, assert, assertDtype, assertRank, assertSameShape, assertShape, formatShape, tf } from '@tensorloom/core';

describe('shape and dtype checks', () => {
  it('assertRank names the unit, the expected rank and the actual shape', () => {
    expect(() => assertRank("Conv2D 'conv1'", 'input', [28, 28], 4, '[batch, h, w, c]')).toThrowError(
      new ShapeError("Conv2D 'conv1': input must be rank 4 [batch, h, w, c], got [28, 28]"),
    );
    expect(() => assertRank('Pool', 'input', [1, 2], [3, 4])).toThrowError('Pool: input must be rank 3 or 4, got [1, 2]');
    expect(() => assertRank('Pool', 'input', [1, 2, 3], [3, 4])).not.toThrow();
  });

  it('assertShape names the first axis that differs', () => {
    const x = tf.zeros([32, 28, 28]);
    expect(() => assertShape("Dense 'fc1'", 'input', x, [null, 784])).toThrowError(
      "Dense 'fc1': input expected shape [null, 784], got [32, 28, 28]",
    );
    expect(() => assertShape("Dense 'fc1'", 'input', [32, 10], [null, 784])).toThrowError(
      "Dense 'fc1': input axis 1 expected 784, got shape [32, 10]",
    );
    expect(() => assertShape('x', 'y', [5, 784], [null, 784])).not.toThrow();
    x.dispose();
  });

  it('assertSameShape and assertDtype', () => {
    expect(() => assertSameShape('mse', 'yTrue', [2, 3], 'yPred', [2, 2])).toThrowError(
      'mse: yPred expected shape [2, 3] (the shape of yTrue), got [2, 2]',
    );
    const ids = tf.tensor([1.5]);
    expect(() => assertDtype("Embedding 'emb'", 'input', ids, 'int32')).toThrowError(
      new DTypeError("Embedding 'emb': input dtype expected int32, got float32"),
    );
    ids.dispose();
  });

  it('assert builds its error lazily and formatShape prints null', () => {
    let built = 0;
    assert(true, () => {
      built++;
      return 'never';
    });
    expect(built).toBe(0);
    expect(() => assert(false, () => new ConfigError('bad'))).toThrowError(ConfigError);
    expect(formatShape([null, 3])).toBe('[null, 3]');
  });

  it('ValueError is a TensorloomError with its own name', () => {
    const e = new ValueError('emb: id expected < 10, got 12');
    expect(e.name).toBe('ValueError');
    expect(e).toBeInstanceOf(TensorloomError);
  });

  it('errors carry a name, a help line and a cause', () => {
    const cause = new Error('root');
    const e = new ConfigError('Dense: units must be positive, got 0', { help: 'use units: 10', cause });
    expect(e.name).toBe('ConfigError');
    expect(e.message).toBe('Dense: units must be positive, got 0\nhelp: use units: 10');
    expect(e.cause).toBe(cause);
    expect(e).toBeInstanceOf(Error);
  });
});

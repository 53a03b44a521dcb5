import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { PositionalEmbedding, initializers, positionalEmbedding, positionalEmbeddingOutputShape } from '@tensorloom/layers';
import { checkModuleGradients } from '../internal/testing.js';

describe('PositionalEmbedding', () => {
  it.each([
    { input: [null, 4, 3], table: [4, 3] },
    { input: [1, 2, 5], table: [4, 5] },
    { input: [null, null, 2], table: [4, 2] },
  ])('builds a [maxLength, features] table for $input', ({ input, table }) => {
    const layer = new PositionalEmbedding({ maxLength: 4 }).build(input, rng(1));
    expect(layer.embeddings!.shape).toEqual(table);
    expect(Object.keys(layer.parameters())).toEqual(['embeddings']);
    expect(layer.outputShape(input)).toEqual(input);
    expect(positionalEmbeddingOutputShape(input)).toEqual(input);
    const y = layer.apply(tf.zeros(input.map((d) => d ?? 2)));
    expect(y.shape).toEqual(input.map((d) => d ?? 2));
    tf.dispose(y);
    layer.dispose();
  });

  it('adds row t of the table to position t, for full and shorter sequences (hand-computed)', () => {
    const layer = new PositionalEmbedding({ maxLength: 3 }).build([null, 3, 2]);
    layer.loadState({ embeddings: tf.tensor([[1, 2], [3, 4], [5, 6]]) });
    const x = tf.tensor([[[10, 10], [20, 20], [30, 30]], [[0, 0], [0, 1], [1, 0]]]);
    expect(layer.apply(x).arraySync()).toEqual([[[11, 12], [23, 24], [35, 36]], [[1, 2], [3, 5], [6, 6]]]);
    expect(layer.apply(tf.tensor([[[0, 0], [1, 1]]])).arraySync()).toEqual([[[1, 2], [4, 5]]]);
  });

  it('uses the configured initializer', () => {
    const layer = new PositionalEmbedding({ maxLength: 3, initializer: initializers.constant(0.5) }).build([null, 3, 2]);
    expect(Array.from(layer.embeddings!.dataSync())).toEqual(new Array(6).fill(0.5));
  });

  it('has gradients that match finite differences (input and table; unused rows get zero)', () => {
    const layer = new PositionalEmbedding({ maxLength: 4 }).build([null, 3, 2], rng(2));
    const x = rng(3).normalTensor([2, 3, 2]);
    expect(checkModuleGradients(layer, x)).toBeNull();
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x))) as tf.Scalar);
    expect(Array.from(grads[layer.embeddings!.name]!.dataSync()).slice(6)).toEqual([0, 0]);
  });

  it('does not leak in inference or under a gradient', async () => {
    const layer = new PositionalEmbedding({ maxLength: 4 }).build([null, 3, 2], rng(1));
    const x = tf.ones([2, 3, 2]);
    await expectNoLeaks(() => layer.apply(x).dispose(), 'PositionalEmbedding apply');
    await expectNoLeaks(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar);
      tf.dispose([value, grads]);
    }, 'PositionalEmbedding gradient');
  });

  it('names itself and the expected value in errors', () => {
    expect(() => new PositionalEmbedding({ maxLength: 0, name: 'pos' })).toThrowError(
      new ConfigError("PositionalEmbedding 'pos': maxLength expected a positive integer, got 0"),
    );
    expect(() => new PositionalEmbedding({ maxLength: 4, name: 'pos' }).build([null, 4])).toThrowError(
      new ShapeError("PositionalEmbedding 'pos': input expected rank 3 [batch, time, features] with known features, got [null, 4]"),
    );
    expect(() => new PositionalEmbedding({ maxLength: 4, name: 'pos' }).build([null, 5, 2])).toThrowError(
      new ShapeError("PositionalEmbedding 'pos': input length expected at most 4 (maxLength), got [null, 5, 2]"),
    );
    const layer = new PositionalEmbedding({ maxLength: 4, name: 'pos' }).build([null, null, 3]);
    expect(() => layer.apply(tf.zeros([2, 5, 3]))).toThrowError(
      new ShapeError("PositionalEmbedding 'pos': input length expected at most 4 (maxLength), got shape [2, 5, 3]"),
    );
    expect(() => layer.apply(tf.zeros([2, 4, 2]))).toThrowError(new ShapeError("PositionalEmbedding 'pos': input axis 2 expected 3, got shape [2, 4, 2]"));
    expect(() => layer.apply(tf.zeros([2, 3]))).toThrowError(
      new ShapeError("PositionalEmbedding 'pos': input must be rank 3 [batch, time, features], got [2, 3]"),
    );
  });

  it('exposes the pure forward function', () => {
    expect(positionalEmbedding(tf.zeros([1, 1, 2]), tf.tensor([[1, 2], [3, 4]])).arraySync()).toEqual([[[1, 2]]]);
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, DTypeError, ShapeError, expectNoLeaks, tf } from '@tensorloom/core';
import { accuracy, topKAccuracy } from '../index.js';
import { singleAndMerged, tensorsHeldBy } from '../internal/testing.js';

describe('accuracy (auto reading)', () => {
  it.each([
    // sparse ids vs scores: argmax rows = [2, 0, 2] against [2, 0, 1] → 2/3.
    ['sparse ids vs probabilities', [2, 0, 1], [[0.1, 0.2, 0.7], [0.9, 0.05, 0.05], [0.3, 0.3, 0.4]], 2 / 3],
    // sparse ids with a trailing axis of 1 vs logits: argmax = [1, 0] against [1, 1] → 1/2.
    ['sparse [N, 1] vs logits', [[1], [1]], [[-1, 3], [2, -2]], 0.5],
    // one-hot vs probabilities: argmax true [2, 1, 0], pred [2, 0, 0] → 2/3.
    ['one-hot vs probabilities', [[0, 0, 1], [0, 1, 0], [1, 0, 0]], [[0.1, 0.1, 0.8], [0.6, 0.3, 0.1], [0.5, 0.4, 0.1]], 2 / 3],
    // label-smoothed rows are distributions too: argmax true [0, 1], pred [0, 0] → 1/2.
    ['smoothed targets', [[0.9, 0.1], [0.1, 0.9]], [[0.7, 0.3], [0.6, 0.4]], 0.5],
    // integer predictions: ids compared as they are; 3 of 5 equal.
    ['ids vs ids', [3, 1, 4, 1, 5], [3, 1, 4, 0, 0], 0.6],
    // segmentation-like maps [1, 2, 3] of ids: 5 of 6 equal.
    ['id maps', [[[0, 2, 1], [1, 1, 0]]], [[[0, 2, 1], [1, 0, 0]]], 5 / 6],
    // binary probabilities, threshold 0.5 (strict): preds [1, 0, 0, 1] vs [1, 0, 1, 1] → 3/4.
    ['binary probabilities', [1, 0, 1, 1], [0.8, 0.4, 0.3, 0.9], 0.75],
    // [N, 1] binary: 0.5 is not > 0.5, so it is class 0: preds [0, 1] vs [1, 1] → 1/2.
    ['binary [N, 1] with a value on the threshold', [[1], [1]], [[0.5], [0.51]], 0.5],
  ])('%s', (_label, yTrue, yPred, expected) => {
    expect(accuracy.compute(yTrue, yPred)).toBeCloseTo(expected, 12);
  });

  it('honours threshold and sample weights', () => {
    // logits with threshold 0: preds [1, 0, 1] vs [1, 1, 1]; weights [1, 2, 3] → (1 + 3) / 6.
    expect(accuracy.compute([1, 1, 1], [0.3, -0.2, 2.5], { threshold: 0, sampleWeight: [1, 2, 3] })).toBeCloseTo(4 / 6, 12);
    // weight per image broadcast over pixels: image 0 has 2/2 right, image 1 has 0/2 right;
    // weights [3, 1] → (3·2 + 1·0) / (3·2 + 1·2) = 6/8.
    expect(accuracy.compute([[1, 2], [0, 0]], [[1, 2], [1, 1]], { sampleWeight: [3, 1] })).toBeCloseTo(0.75, 12);
  });

  it('gives 0 when every prediction is wrong and zeroDivision on empty input', () => {
    expect(accuracy.compute([0, 1, 2], [[0, 1, 0], [1, 0, 0], [1, 0, 0]])).toBe(0);
    expect(accuracy.compute([], [])).toBe(0);
    expect(accuracy.compute([], [], { zeroDivision: 1 })).toBe(1);
    expect(accuracy.compute([], [], { zeroDivision: NaN })).toBeNaN();
  });

  it('streams: merged shards equal one pass, reset empties, clone is empty', () => {
    const batches = [
      { yTrue: [0, 1], yPred: [[0.9, 0.1], [0.4, 0.6]] },
      { yTrue: [1, 1, 0], yPred: [[0.7, 0.3], [0.2, 0.8], [0.1, 0.9]], sampleWeight: [2, 1, 1] },
      { yTrue: [0], yPred: [[0.3, 0.7]] },
    ];
    const { single, merged } = singleAndMerged(() => accuracy(), batches, 2);
    // batch 1: 2 of 2 right; batch 2 (argmax [0, 1, 1] vs [1, 1, 0]): only the w=1 row → 1 of 4;
    // batch 3: 0 of 1. (2 + 1 + 0) / (2 + 4 + 1) = 3/7.
    expect(single).toBeCloseTo(3 / 7, 12);
    expect(merged).toBeCloseTo(single, 12);
    const acc = accuracy();
    acc.update([1], [[0, 1]]);
    const copy = acc.clone();
    expect(copy.result()).toBe(0);
    acc.reset();
    expect(acc.result()).toBe(0);
  });

  it('reads tensors without leaking or keeping them', async () => {
    const yTrue = tf.tensor1d([2, 0, 1], 'int32');
    const yPred = tf.tensor2d([[0.1, 0.2, 0.7], [0.9, 0.05, 0.05], [0.3, 0.3, 0.4]]);
    const acc = accuracy();
    await expectNoLeaks(() => acc.update(yTrue, yPred), 'accuracy.update');
    expect(acc.result()).toBeCloseTo(2 / 3, 6);
    expect(tensorsHeldBy(acc)).toBe(0);
    // typed arrays are one axis
    expect(accuracy.compute(new Int32Array([1, 0]), new Float32Array([0.9, 0.8]))).toBe(0.5);
    tf.dispose([yTrue, yPred]);
  });

  it('rejects inputs it cannot read, with the metric named', () => {
    expect(() => accuracy.compute([0, 1], [[0.2, 0.8]])).toThrowError(
      new ShapeError("Accuracy 'accuracy': yPred expected shape [2] or [2, numClasses] to match yTrue, got [1, 2]"),
    );
    expect(() => accuracy.compute([0, 3], [[0.2, 0.8], [0.5, 0.5]])).toThrowError(
      new ConfigError("Accuracy 'accuracy': yTrue expected integer class ids in [0, 2) (yPred has 2 classes), got 3"),
    );
    expect(() => accuracy({ name: 'val_acc' }).update([2, 1], [0.2, 0.7])).toThrowError(
      "Accuracy 'val_acc': yTrue expected binary labels 0 or 1, got 2",
    );
    expect(() => accuracy.compute([[0, 1], [1]], [0, 1])).toThrowError(
      "Accuracy 'accuracy': yTrue expected a rectangular array with 2 entries at [1], got 1 entries",
    );
    expect(() => accuracy.compute([0, 'a' as unknown as number], [0, 1])).toThrowError(
      "Accuracy 'accuracy': yTrue expected a number at [1], got string 'a'",
    );
    expect(() => accuracy.compute([1, 0], [1, 0], { sampleWeight: [1, 2, 3] })).toThrowError(
      "Accuracy 'accuracy': sampleWeight expected shape [2] or a prefix of it, got [3]",
    );
    expect(() => accuracy.compute([1, 0], [1, 0], { sampleWeight: [1, -2] })).toThrowError(
      "Accuracy 'accuracy': sampleWeight expected finite non-negative values, got -2",
    );
    const strings = tf.tensor1d(['a', 'b'], 'string');
    expect(() => accuracy.compute(strings, [1, 0])).toThrowError(
      new DTypeError("Accuracy 'accuracy': yTrue dtype expected float32, int32 or bool, got string"),
    );
    strings.dispose();
    // nested typed arrays are rows
    expect(accuracy.compute([new Float32Array([0, 1]), new Float32Array([1, 0])], [[0.2, 0.8], [0.4, 0.6]])).toBe(0.5);
    const disposed = tf.tensor1d([1]);
    disposed.dispose();
    expect(() => accuracy.compute(disposed, [1])).toThrowError(
      "Accuracy 'accuracy': yTrue expected a live tensor, got a disposed one",
    );
  });

  it('validates options and merges only with its own kind and configuration', () => {
    expect(() => accuracy({ threshold: Infinity })).toThrowError(
      new ConfigError("Accuracy 'accuracy': threshold expected a finite number, got Infinity"),
    );
    expect(() => accuracy({ zeroDivision: 2 })).toThrowError("Accuracy 'accuracy': zeroDivision expected 0, 1 or NaN, got 2");
    expect(() => accuracy({ name: '' })).toThrowError("Accuracy: name expected a non-empty string, got ''");
    expect(() => accuracy().merge(accuracy({ threshold: 0 }))).toThrowError(
      /^Accuracy 'accuracy': other expected the configuration .*"threshold":0\.5.*, got .*"threshold":0[,}]/,
    );
    expect(() => accuracy().merge(topKAccuracy() as never)).toThrowError(
      "Accuracy 'accuracy': other expected a metric of kind Accuracy, got TopKAccuracy 'topKAccuracy'",
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, DTypeError, ShapeError, ValueError, expectNoLeaks, tf } from '@tensorloom/core';
import { losses } from '../index.js';
import type { Loss } from '../index.js';

const big = 1e4;

function finiteEverywhere(loss: Loss, yTrue: tf.Tensor, yPred: tf.Tensor): void {
  const v = loss(yTrue, yPred);
  const g = tf.grad((p: tf.Tensor) => tf.sum(loss(yTrue, p)))(yPred);
  expect(Array.from(v.dataSync()).every(Number.isFinite), `${loss.lossName} value ${v.dataSync()}`).toBe(true);
  expect(Array.from(g.dataSync()).every(Number.isFinite), `${loss.lossName} gradient ${g.dataSync()}`).toBe(true);
  tf.dispose([v, g]);
}

describe('losses: stability for logits of ±1e4', () => {
  const logits2 = () => tf.tensor2d([[big, -big, 0], [-big, big, big], [big, big, big]]);
  it.each([
    ['sparseCategoricalCrossentropy', () => losses.sparseCategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }), () => tf.tensor1d([1, 0, 2], 'int32')],
    ['categoricalCrossentropy', () => losses.categoricalCrossentropy({ fromLogits: true }), () => tf.tensor2d([[0, 1, 0], [0.5, 0.5, 0], [0, 0, 1]])],
    ['binaryCrossentropy', () => losses.binaryCrossentropy({ fromLogits: true, positiveWeight: 2 }), () => tf.tensor2d([[0, 1, 1], [1, 0, 0], [0, 0, 0]])],
    ['binaryFocalCrossentropy', () => losses.binaryFocalCrossentropy({ fromLogits: true, alpha: 0.25 }), () => tf.tensor2d([[0, 1, 1], [1, 0, 0], [0, 0, 0]])],
    ['categoricalFocalCrossentropy', () => losses.categoricalFocalCrossentropy({ fromLogits: true }), () => tf.tensor2d([[0, 1, 0], [1, 0, 0], [0, 0, 1]])],
    ['klDivergence', () => losses.klDivergence({ fromLogits: true }), () => tf.tensor2d([[0, 1, 0], [0.5, 0.5, 0], [0, 0, 1]])],
    ['dice', () => losses.dice({ activation: 'softmax' }), () => tf.tensor2d([[0, 1, 0], [1, 0, 0], [0, 0, 1]])],
    ['tversky', () => losses.tversky({ activation: 'sigmoid' }), () => tf.tensor2d([[0, 1, 0], [1, 0, 0], [0, 0, 1]])],
    ['jaccard', () => losses.jaccard({ activation: 'sigmoid' }), () => tf.tensor2d([[0, 1, 0], [1, 0, 0], [0, 0, 1]])],
    ['logCosh', () => losses.logCosh(), () => tf.zeros([3, 3])],
    ['huber', () => losses.huber(), () => tf.zeros([3, 3])],
  ] as const)('%s: finite loss and gradients', (_n, make, labels) => {
    finiteEverywhere(make(), labels(), logits2());
  });

  it('gives the exact values at the extremes (confident and right: 0; confident and wrong: the margin)', () => {
    const ce = losses.sparseCategoricalCrossentropy({ fromLogits: true, reduction: 'none' });
    const v = ce(tf.tensor1d([0, 1], 'int32'), tf.tensor2d([[big, -big], [big, -big]]));
    expect(Array.from(v.dataSync(), (x) => x + 0)).toEqual([0, 2 * big]); // + 0 folds −0
    const bce = losses.binaryCrossentropy({ fromLogits: true, reduction: 'none' });
    expect(Array.from(bce(tf.tensor1d([1, 0]), tf.tensor1d([big, big])).dataSync(), (x) => x + 0)).toEqual([0, big]);
    expect(losses.logCosh()(tf.tensor1d([0]), tf.tensor1d([big])).dataSync()[0]).toBeCloseTo(big - Math.LN2, 2);
  });
});

describe('losses: shapes, weights and reductions', () => {
  it('sparse cross-entropy takes [B, T] token labels and ignores padding in the mean', async () => {
    const loss = losses.sparseCategoricalCrossentropy({ fromLogits: true, ignoreIndex: 0 });
    const labels = tf.tensor2d([[1, 2, 0], [2, 0, 0]], [2, 3], 'int32');
    const logits = tf.tensor3d([[[0, 1, 0], [0, 0, 2], [9, 9, 9]], [[0, 0, 0], [5, 5, 5], [1, 2, 3]]]);
    const value = await expectNoLeaks(() => loss(labels, logits));
    const lse = (a: number[]) => Math.log(a.reduce((s, x) => s + Math.exp(x), 0));
    const want = (lse([0, 1, 0]) - 1 + lse([0, 0, 2]) - 2 + lse([0, 0, 0])) / 3;
    expect(value.dataSync()[0]).toBeCloseTo(want, 5);
    const none = losses.sparseCategoricalCrossentropy({ fromLogits: true, ignoreIndex: 0, reduction: 'none' })(labels, logits);
    expect(none.shape).toEqual([2, 3]);
    expect(none.dataSync()[2]).toBe(0);
    // Every token padded: 0, not NaN.
    expect(loss(tf.zeros([1, 2], 'int32'), tf.zeros([1, 2, 3])).dataSync()[0]).toBe(0);
    // Labels of shape [B, 1] work as [B].
    expect(losses.sparseCategoricalCrossentropy({ fromLogits: true })(tf.tensor2d([[1]], [1, 1], 'int32'), tf.tensor2d([[0, 0]])).dataSync()[0]).toBeCloseTo(Math.LN2, 6);
  });

  it('soft (mixup) targets equal the mix of the two hard-target losses', () => {
    const cce = losses.categoricalCrossentropy({ fromLogits: true });
    const logits = tf.tensor2d([[1, -0.5, 2]]);
    const mixed = cce(tf.tensor2d([[0.3, 0.7, 0]]), logits).dataSync()[0];
    const a = cce(tf.tensor2d([[1, 0, 0]]), logits).dataSync()[0];
    const b = cce(tf.tensor2d([[0, 1, 0]]), logits).dataSync()[0];
    expect(mixed).toBeCloseTo(0.3 * a + 0.7 * b, 6);
  });

  it('sample weights: [batch] broadcast over the per-sample shape, mean divides by the count', () => {
    const mse = losses.meanSquaredError();
    const v = mse(tf.tensor2d([[0], [0]]), tf.tensor2d([[1], [2]]), tf.tensor1d([3, 0]));
    expect(v.dataSync()[0]).toBeCloseTo((3 * 1 + 0) / 2, 6);
    const ce = losses.sparseCategoricalCrossentropy({ fromLogits: true, reduction: 'sum' });
    const tokens = ce(tf.tensor2d([[0, 1]], [1, 2], 'int32'), tf.zeros([1, 2, 2]), tf.tensor1d([2]));
    expect(tokens.dataSync()[0]).toBeCloseTo(2 * 2 * Math.LN2, 6);
    expect(() => mse(tf.zeros([2, 1]), tf.zeros([2, 1]), tf.ones([3]))).toThrowError(
      new ShapeError("Loss 'mean_squared_error': sampleWeight expected shape [batch] or a leading part of [2], got [3]"),
    );
  });

  it('names the loss in every error', () => {
    const sce = losses.sparseCategoricalCrossentropy({ fromLogits: true });
    expect(() => sce(tf.tensor1d([0, 3], 'int32'), tf.zeros([2, 3]))).toThrowError(
      new ValueError("Loss 'sparse_categorical_crossentropy': yTrue expected integer labels in [0, 3), got 3 at flat index 1"),
    );
    expect(() => sce(tf.tensor1d([-1], 'int32'), tf.zeros([1, 3]))).toThrowError(/got -1 at flat index 0/);
    expect(() => sce(tf.tensor1d([0.5]), tf.zeros([1, 3]))).toThrowError(/yTrue expected integer labels in \[0, 3\), got 0.5/);
    expect(() => losses.sparseCategoricalCrossentropy({ ignoreIndex: -100 })(tf.tensor1d([-100, 7], 'int32'), tf.fill([2, 3], 1 / 3))).toThrowError(
      "Loss 'sparse_categorical_crossentropy': yTrue expected integer labels in [0, 3) or the ignoreIndex -100, got 7 at flat index 1",
    );
    expect(() => sce(tf.zeros([2, 2], 'int32'), tf.zeros([2, 3]))).toThrowError(
      new ShapeError("Loss 'sparse_categorical_crossentropy': yTrue expected integer labels of shape [2] for yPred [2, 3], got [2, 2]"),
    );
    expect(() => losses.meanSquaredError()(tf.zeros([2, 3]), tf.zeros([2, 2]))).toThrowError(
      "Loss 'mean_squared_error': yTrue expected the shape of yPred [2, 2], got [2, 3]",
    );
    expect(() => losses.huber()(tf.zeros([2]), tf.zeros([2], 'int32'))).toThrowError(new DTypeError("Loss 'huber': yPred expected dtype float32, got int32"));
    expect(() => losses.sparseCategoricalCrossentropy({ classWeights: [1, 2] })(tf.tensor1d([0], 'int32'), tf.zeros([1, 3]))).toThrowError(
      "Loss 'sparse_categorical_crossentropy': classWeights expected 3 weights (one per class), got 2",
    );
    expect(() => losses.huber({ delta: 0 })).toThrowError(new ConfigError("Loss 'huber': delta expected a number > 0, got 0"));
    expect(() => losses.categoricalCrossentropy({ labelSmoothing: 1.5 })).toThrowError("Loss 'categorical_crossentropy': labelSmoothing expected a number in [0, 1], got 1.5");
    expect(() => losses.binaryCrossentropy({ reduction: 'avg' as never })).toThrowError("Loss 'binary_crossentropy': reduction expected 'mean', 'sum' or 'none', got \"avg\"");
    expect(() => losses.dice({ activation: 'relu' as never })).toThrowError("Loss 'dice': activation expected 'softmax' or 'sigmoid', got \"relu\"");
    expect(() => losses.meanSquaredError({ fromLogits: true } as never)).toThrowError("Loss 'mean_squared_error': option 'fromLogits' expected one of reduction, got an unknown option");
    expect(() => losses.sparseCategoricalCrossentropy({ ignoreIndex: 0.5 })).toThrowError("Loss 'sparse_categorical_crossentropy': ignoreIndex expected an integer, got 0.5");
  });

  it('checks labels on the first call by default, every call with checkLabels: true; unchecked bad labels give NaN', () => {
    const good = tf.tensor1d([0, 1], 'int32');
    const badLabel = tf.tensor1d([0, 5], 'int32');
    const logits = tf.zeros([2, 3]);
    const first = losses.sparseCategoricalCrossentropy({ fromLogits: true, reduction: 'none' });
    expect(first(good, logits).dataSync()[0]).toBeCloseTo(Math.log(3), 6);
    const later = first(badLabel, logits).dataSync(); // no host read after the first call
    expect(later[0]).toBeCloseTo(Math.log(3), 6);
    expect(later[1]).toBeNaN();
    const always = losses.sparseCategoricalCrossentropy({ fromLogits: true, checkLabels: true });
    always(good, logits);
    expect(() => always(badLabel, logits)).toThrowError(/got 5 at flat index 1/);
    const never = losses.sparseCategoricalCrossentropy({ fromLogits: true, checkLabels: false, labelSmoothing: 0.1, classWeights: [1, 2, 3] });
    expect(never(badLabel, logits).dataSync()[0]).toBeNaN();
    expect(() => losses.sparseCategoricalCrossentropy({ checkLabels: 'once' as never })).toThrowError(
      "Loss 'sparse_categorical_crossentropy': checkLabels expected true, false or 'first', got \"once\"",
    );
  });

  it('carries Keras names', () => {
    expect([losses.meanSquaredError(), losses.sparseCategoricalCrossentropy(), losses.binaryFocalCrossentropy(), losses.klDivergence()].map((l) => l.lossName)).toEqual([
      'mean_squared_error',
      'sparse_categorical_crossentropy',
      'binary_focal_crossentropy',
      'kl_divergence',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { ValueError, expectNoLeaks, tf } from '@tensorloom/core';
import * as metrics from './index.js';
import type { Metric, NestedNumbers } from './index.js';

// A diverged model (NaN or ±Infinity in its outputs) must never report a score: every metric
// that reads predictions rejects a non-finite yPred with a ValueError naming the metric, the
// position and the value, in the one-shot, streaming and tensor forms alike.

type Factory = { (): Metric<unknown>; compute(yTrue: unknown, yPred: unknown): unknown };

const ids = [0, 2, 1, 2];
const probs = [
  [0.7, 0.2, 0.1],
  [0.1, 0.3, 0.6],
  [0.2, 0.5, 0.3],
  [0.5, 0.25, 0.25],
];
const binary = [1, 0, 1, 0];
const scores = [0.9, 0.2, 0.4, 0.6];
const maps = [[[0, 1], [2, 1]]];
const mapScores = [[[[1, 0, 0], [0, 1, 0]], [[0, 1, 0], [0, 1, 0]]]];
const reals = [[1, 2], [3, 4], [5, 7]];
const realsPred = [[1.5, 2], [2.5, 4.5], [5, 6]];
const tokens = [[1, 2, 0]];
const logits = [[[0, 2, 1], [1, 0, 3], [2, 2, 2]]];

// [factory name, factory, yTrue, yPred, the position to corrupt]
const cases: [string, Factory, NestedNumbers, NestedNumbers, number[]][] = [
  ['accuracy', metrics.accuracy, ids, probs, [1, 0]],
  ['accuracy (binary)', metrics.accuracy, binary, scores, [0]],
  ['binaryAccuracy', metrics.binaryAccuracy, binary, scores, [2]],
  ['categoricalAccuracy', metrics.categoricalAccuracy, probs.map((r) => r.map((v) => (v === Math.max(...r) ? 1 : 0))), probs, [3, 2]],
  ['sparseCategoricalAccuracy', metrics.sparseCategoricalAccuracy, ids, probs, [0, 1]],
  ['topKAccuracy', metrics.topKAccuracy, ids, probs, [2, 2]],
  ['precision', metrics.precision, ids, probs, [1, 1]],
  ['recall', metrics.recall, ids, probs, [1, 1]],
  ['f1Score', metrics.f1Score, binary, scores, [1]],
  ['fBetaScore', metrics.fBetaScore, ids, probs, [0, 0]],
  ['specificity', metrics.specificity, binary, scores, [3]],
  ['balancedAccuracy', metrics.balancedAccuracy, ids, probs, [2, 1]],
  ['matthewsCorrelation', metrics.matthewsCorrelation, binary, scores, [1]],
  ['cohenKappa', metrics.cohenKappa, ids, probs, [1, 2]],
  ['confusionMatrix', metrics.confusionMatrix, ids, probs, [0, 2]],
  ['rocCurve', metrics.rocCurve, binary, scores, [1]],
  ['rocAuc', metrics.rocAuc, ids, probs, [3, 0]],
  ['precisionRecallCurve', metrics.precisionRecallCurve, binary, scores, [0]],
  ['averagePrecision', metrics.averagePrecision, ids, probs, [2, 0]],
  ['logLoss', metrics.logLoss, ids, probs, [1, 2]],
  ['calibrationError', metrics.calibrationError, ids, probs, [0, 1]],
  ['iou', metrics.iou, maps, mapScores, [0, 1, 0, 2]],
  ['meanIoU', metrics.meanIoU, maps, mapScores, [0, 0, 1, 1]],
  ['dice', metrics.dice, maps, mapScores, [0, 1, 1, 0]],
  ['meanDice', metrics.meanDice, maps, mapScores, [0, 0, 0, 0]],
  ['pixelAccuracy', metrics.pixelAccuracy, maps, mapScores, [0, 1, 1, 2]],
  ['meanSquaredError', metrics.meanSquaredError, reals, realsPred, [2, 1]],
  ['rootMeanSquaredError', metrics.rootMeanSquaredError, reals, realsPred, [0, 0]],
  ['meanAbsoluteError', metrics.meanAbsoluteError, reals, realsPred, [1, 0]],
  ['meanAbsolutePercentageError', metrics.meanAbsolutePercentageError, reals, realsPred, [1, 1]],
  ['r2Score', metrics.r2Score, reals, realsPred, [2, 0]],
  ['explainedVariance', metrics.explainedVariance, reals, realsPred, [0, 1]],
  ['perplexity', metrics.perplexity, tokens, logits, [0, 2, 1]],
  ['tokenAccuracy', metrics.tokenAccuracy, tokens, logits, [0, 1, 0]],
];

/** A deep copy of `x` with `value` at `path`. */
function corrupt(x: NestedNumbers, path: number[], value: number): NestedNumbers {
  const copy = JSON.parse(JSON.stringify(x)) as unknown[];
  let node: unknown[] = copy;
  for (const i of path.slice(0, -1)) node = node[i] as unknown[];
  node[path[path.length - 1]] = value;
  return copy as NestedNumbers;
}

function expectRejected(fn: () => unknown, name: string, value: number, path: number[]): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `${name} accepted ${value}`).toBeInstanceOf(ValueError);
  expect((thrown as Error).message.split('\n')[0]).toMatch(
    new RegExp(`^\\w+ '${name.split(' ')[0]}': yPred expected finite values, got ${value} at \\[${path.join(', ')}\\]$`),
  );
}

describe('non-finite predictions', () => {
  it('were scored as a class before (the reported case): accuracy and f1Score now reject them', () => {
    expect(() => metrics.accuracy.compute([0, 1], [[NaN, NaN], [0.1, 0.9]])).toThrowError(
      "Accuracy 'accuracy': yPred expected finite values, got NaN at [0, 0]",
    );
    expect(() => metrics.accuracy.compute([0, 1], [NaN, 0.9])).toThrowError(ValueError);
    expect(() => metrics.f1Score.compute([0, 1, 1], [0.2, NaN, 0.9])).toThrowError(
      "F1Score 'f1Score': yPred expected finite values, got NaN at [1]",
    );
  });

  it.each(cases)('%s accepts the clean input', (_label, factory, yTrue, yPred) => {
    expect(() => factory.compute(yTrue, yPred)).not.toThrow();
  });

  describe.each([NaN, Infinity, -Infinity])('%s', (value) => {
    it.each(cases)('%s rejects it in compute', (label, factory, yTrue, yPred, path) => {
      expectRejected(() => factory.compute(yTrue, corrupt(yPred, path, value)), label, value, path);
    });

    it.each(cases)('%s rejects it in update and keeps the state it had', (label, factory, yTrue, yPred, path) => {
      const m = factory();
      m.update(yTrue, yPred);
      const before = m.result();
      expectRejected(() => m.update(yTrue, corrupt(yPred, path, value)), label, value, path);
      expect(m.result()).toEqual(before);
    });

    it.each(cases)('%s rejects it in a tensor without leaking', async (label, factory, yTrue, yPred, path) => {
      const p = tf.tensor(corrupt(yPred, path, value) as number[][], undefined, 'float32');
      const t = tf.tensor(yTrue as number[][], undefined, 'float32');
      const m = factory();
      await expectNoLeaks(() => expectRejected(() => m.update(t, p), label, value, path));
      tf.dispose([t, p]);
    });
  });
});

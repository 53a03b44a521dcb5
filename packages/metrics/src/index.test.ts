import { describe, expect, it } from 'vitest';
import { expectNoLeaks, tf } from '@tensorloom/core';
import * as metrics from './index.js';
import type { Metric } from './index.js';
import { tensorsHeldBy } from './internal/testing.js';

const ids = (): tf.Tensor => tf.tensor1d([0, 2, 1, 2], 'int32');
const probs = (): tf.Tensor =>
  tf.tensor2d([
    [0.7, 0.2, 0.1],
    [0.1, 0.3, 0.6],
    [0.2, 0.5, 0.3],
    [0.5, 0.25, 0.25],
  ]);
const binary = (): tf.Tensor => tf.tensor1d([1, 0, 1, 0]);
const scores = (): tf.Tensor => tf.tensor1d([0.9, 0.2, 0.4, 0.6]);
const maps = (): tf.Tensor => tf.tensor3d([[[0, 1], [2, 1]]], undefined, 'int32');
const mapScores = (): tf.Tensor => tf.oneHot(tf.tensor3d([[[0, 1], [1, 1]]], undefined, 'int32'), 3);
const reals = (): tf.Tensor => tf.tensor2d([[1, 2], [3, 4], [5, 7]]);
const realsPred = (): tf.Tensor => tf.tensor2d([[1.5, 2], [2.5, 4.5], [5, 6]]);
const tokens = (): tf.Tensor => tf.tensor2d([[1, 2, 0]], undefined, 'int32');
const logits = (): tf.Tensor => tf.tensor3d([[[0, 2, 1], [1, 0, 3], [2, 2, 2]]]);

// Every metric that takes numbers, fed tensors: [name, factory call, yTrue, yPred].
const cases: [string, () => Metric<unknown>, () => tf.Tensor, () => tf.Tensor][] = [
  ['accuracy', () => metrics.accuracy(), ids, probs],
  ['binaryAccuracy', () => metrics.binaryAccuracy(), binary, scores],
  ['categoricalAccuracy', () => metrics.categoricalAccuracy(), () => tf.oneHot(ids(), 3), probs],
  ['sparseCategoricalAccuracy', () => metrics.sparseCategoricalAccuracy(), ids, probs],
  ['topKAccuracy', () => metrics.topKAccuracy({ k: 2 }), ids, probs],
  ['precision', () => metrics.precision(), ids, probs],
  ['recall', () => metrics.recall(), ids, probs],
  ['f1Score', () => metrics.f1Score(), ids, probs],
  ['fBetaScore', () => metrics.fBetaScore({ beta: 2 }), ids, probs],
  ['specificity', () => metrics.specificity(), binary, scores],
  ['balancedAccuracy', () => metrics.balancedAccuracy(), ids, probs],
  ['matthewsCorrelation', () => metrics.matthewsCorrelation(), binary, scores],
  ['cohenKappa', () => metrics.cohenKappa(), ids, probs],
  ['confusionMatrix', () => metrics.confusionMatrix(), ids, probs],
  ['rocCurve', () => metrics.rocCurve(), binary, scores],
  ['rocAuc', () => metrics.rocAuc(), ids, probs],
  ['precisionRecallCurve', () => metrics.precisionRecallCurve(), binary, scores],
  ['averagePrecision', () => metrics.averagePrecision(), ids, probs],
  ['logLoss', () => metrics.logLoss(), ids, probs],
  ['calibrationError', () => metrics.calibrationError(), ids, probs],
  ['iou', () => metrics.iou(), maps, mapScores],
  ['meanIoU', () => metrics.meanIoU({ numClasses: 3 }), maps, () => tf.tensor3d([[[0, 1], [1, 1]]], undefined, 'int32')],
  ['dice', () => metrics.dice(), maps, mapScores],
  ['meanDice', () => metrics.meanDice(), maps, mapScores],
  ['pixelAccuracy', () => metrics.pixelAccuracy(), maps, mapScores],
  ['meanSquaredError', () => metrics.meanSquaredError(), reals, realsPred],
  ['rootMeanSquaredError', () => metrics.rootMeanSquaredError(), reals, realsPred],
  ['meanAbsoluteError', () => metrics.meanAbsoluteError(), reals, realsPred],
  ['meanAbsolutePercentageError', () => metrics.meanAbsolutePercentageError(), reals, realsPred],
  ['r2Score', () => metrics.r2Score(), reals, realsPred],
  ['explainedVariance', () => metrics.explainedVariance(), reals, realsPred],
  ['perplexity', () => metrics.perplexity(), tokens, logits],
  ['tokenAccuracy', () => metrics.tokenAccuracy({ ignoreIndex: 0 }), tokens, logits],
];

describe('@tensorloom/metrics', () => {
  it('exports every metric the package promises', () => {
    const names = [
      'accuracy', 'binaryAccuracy', 'categoricalAccuracy', 'sparseCategoricalAccuracy', 'topKAccuracy', 'precision',
      'recall', 'f1Score', 'fBetaScore', 'specificity', 'balancedAccuracy', 'matthewsCorrelation', 'cohenKappa',
      'confusionMatrix', 'rocCurve', 'rocAuc', 'precisionRecallCurve', 'averagePrecision', 'logLoss', 'calibrationError',
      'iou', 'meanIoU', 'dice', 'meanDice', 'pixelAccuracy', 'meanSquaredError', 'rootMeanSquaredError',
      'meanAbsoluteError', 'meanAbsolutePercentageError', 'r2Score', 'explainedVariance', 'perplexity', 'tokenAccuracy',
      'editDistance', 'cer', 'wer', 'per', 'bleu',
    ] as const;
    for (const name of names) {
      const factory = metrics[name] as unknown as { (): Metric<unknown>; compute: unknown };
      expect(typeof factory.compute, name).toBe('function');
      const m = factory();
      expect(m.name).toBe(name);
      for (const method of ['update', 'result', 'reset', 'merge', 'clone'] as const) expect(typeof m[method], `${name}.${method}`).toBe('function');
    }
    for (const fn of ['confusionMatrixSvg', 'rocCurveSvg', 'formatTable'] as const) expect(typeof metrics[fn]).toBe('function');
  });

  it.each(cases)('%s reads tensors without leaking, keeps none, and merges like one pass', async (_name, make, yTrue, yPred) => {
    const t = yTrue();
    const p = yPred();
    const whole = make();
    await expectNoLeaks(() => {
      whole.update(t, p);
      whole.update(t, p);
    });
    expect(tensorsHeldBy(whole)).toBe(0);
    const a = make();
    const b = a.clone();
    a.update(t, p);
    b.update(t, p);
    expect(a.merge(b).result()).toEqual(whole.result());
    tf.dispose([t, p]);
  });

  it('drives any mix of metrics through the generic Metric interface (a fit loop)', () => {
    const tracked: Record<string, Metric<number>> = {
      accuracy: metrics.accuracy(),
      macroF1: metrics.f1Score({ average: 'macro', name: 'macroF1' }),
      auc: metrics.rocAuc(),
    };
    const batches = [
      { labels: [0, 2], probs: [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]] },
      { labels: [1, 2], probs: [[0.2, 0.5, 0.3], [0.5, 0.25, 0.25]] },
    ];
    const epoch = (): Record<string, number> => {
      for (const m of Object.values(tracked)) m.reset();
      for (const { labels, probs: p } of batches) for (const m of Object.values(tracked)) m.update(labels, p);
      return Object.fromEntries(Object.values(tracked).map((m) => [m.name, m.result()]));
    };
    const first = epoch();
    expect(Object.keys(first)).toEqual(['accuracy', 'macroF1', 'rocAuc']); // names, not the record's keys
    expect(first.accuracy).toBe(0.75); // argmax [0, 2, 1, 0] vs [0, 2, 1, 2]
    expect(epoch()).toEqual(first); // reset really empties
  });
});

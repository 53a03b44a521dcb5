import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, tf } from '@tensorloom/core';
import { logLoss } from '../index.js';
import { singleAndMerged, tensorsHeldBy } from '../internal/testing.js';

// References: scripts/reference_probabilistic.py (numpy re-derivation of sklearn.metrics.log_loss).
describe('logLoss', () => {
  it('matches sklearn.metrics.log_loss', () => {
    // docstring: −(ln .9 + ln .9 + ln .8 + ln .65) / 4 = 0.21616187468057912
    const probs = [[0.1, 0.9], [0.9, 0.1], [0.8, 0.2], [0.35, 0.65]];
    expect(logLoss.compute([1, 0, 0, 1], probs)).toBeCloseTo(0.21616187468057912, 12);
    // one-hot targets: the same
    expect(logLoss.compute([[0, 1], [1, 0], [1, 0], [0, 1]], probs)).toBeCloseTo(0.21616187468057912, 12);
    // binary probabilities: −(ln .8 + ln .7) / 2
    expect(logLoss.compute([1, 0], [0.8, 0.3])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.7)) / 2, 12);
    // weighted binary (reference script)
    expect(
      logLoss.compute([1, 0, 1, 1, 0], [0.9, 0.2, 0.6, 0.35, 0.05], { sampleWeight: [1, 2, 1, 0.5, 3] }),
    ).toBeCloseTo(0.23216855832856362, 12);
  });

  it('takes logits stably and clips probabilities', () => {
    // log-softmax of the logits (reference script applies softmax first): 0.42076638425521956
    const logits = [[2, -1, 0.5], [0.1, 0.2, 0.3], [-3, 4, 0]];
    expect(logLoss.compute([0, 2, 1], logits, { fromLogits: true })).toBeCloseTo(0.42076638425521956, 12);
    // binary logits: softplus form, finite even for huge logits: −log σ(800) ≈ 0, −log σ(−800) = 800
    expect(logLoss.compute([1, 1], [800, -800], { fromLogits: true })).toBeCloseTo(400, 9);
    // probability 0 for the true class is clipped at 1e-15: −ln(1e-15) = 34.538776394910684
    expect(logLoss.compute([1], [[1, 0]])).toBeCloseTo(34.538776394910684, 9);
    expect(logLoss.compute([1], [[1, 0]], { eps: 1e-7 })).toBeCloseTo(-Math.log(1e-7), 9);
  });

  it('soft targets, multi-label and padding', () => {
    // soft binary target 0.3 with p 0.6: −(0.3 ln 0.6 + 0.7 ln 0.4)
    expect(logLoss.compute([0.3], [0.6])).toBeCloseTo(-(0.3 * Math.log(0.6) + 0.7 * Math.log(0.4)), 12);
    // multi-label [1, 2] read per element with task 'binary': mean of −ln .9 and −ln .8
    expect(logLoss.compute([[1, 0]], [[0.9, 0.2]], { task: 'binary' })).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 12);
    // ignoreIndex drops padded targets
    expect(logLoss.compute([1, -100], [[0.2, 0.8], [0.5, 0.5]], { ignoreIndex: -100 })).toBeCloseTo(-Math.log(0.8), 12);
    expect(logLoss.compute([], [])).toBeNaN();
  });

  it('streams exactly and reads tensors without keeping them', async () => {
    const batches = [
      { yTrue: [1, 0], yPred: [[0.1, 0.9], [0.9, 0.1]] },
      { yTrue: [0, 1], yPred: [[0.8, 0.2], [0.35, 0.65]], sampleWeight: [2, 1] },
    ];
    const { single, merged } = singleAndMerged(() => logLoss(), batches);
    expect(merged).toBeCloseTo(single, 14);
    const t = tf.tensor1d([1, 0], 'int32');
    const p = tf.tensor2d([[0.1, 0.9], [0.9, 0.1]]);
    const m = logLoss();
    await expectNoLeaks(() => m.update(t, p));
    expect(tensorsHeldBy(m)).toBe(0);
    expect(m.result()).toBeCloseTo(-Math.log(0.9), 6);
    tf.dispose([t, p]);
  });

  it('rejects what is not a probability', () => {
    expect(() => logLoss.compute([1, 0], [1.2, 0.1])).toThrowError(
      new ConfigError("LogLoss 'logLoss': yPred expected probabilities in [0, 1], got 1.2", { help: 'pass fromLogits: true for logits' }),
    );
    expect(() => logLoss.compute([2, 0], [0.2, 0.1])).toThrowError("LogLoss 'logLoss': yTrue expected targets in [0, 1], got 2");
    expect(() => logLoss({ eps: 0.7 })).toThrowError("LogLoss 'logLoss': eps expected a number in (0, 0.5), got 0.7");
  });
});

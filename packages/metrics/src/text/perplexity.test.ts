import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, tf } from '@tensorloom/core';
import { perplexity } from '../index.js';
import { singleAndMerged, tensorsHeldBy } from '../internal/testing.js';

const logSoftmax = (row: number[]): number[] => {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
};

describe('perplexity', () => {
  it('exp of the mean token NLL (float64 reference computed in the test)', () => {
    // uniform logits over V = 4 → every token has p = 1/4 → perplexity 4
    expect(perplexity.compute([[1, 2]], [[[0, 0, 0, 0], [0, 0, 0, 0]]])).toBeCloseTo(4, 12);
    const logits = [
      [[2, 0.5, -1], [0.1, 0.2, 0.3], [1, 1, 3]],
      [[-2, 4, 0], [0, 0, 0], [5, -5, 0]],
    ];
    const ids = [
      [0, 2, 2],
      [1, 0, 0],
    ];
    let nll = 0;
    ids.forEach((row, b) => row.forEach((id, t) => (nll -= logSoftmax(logits[b][t])[id])));
    expect(perplexity.compute(ids, logits)).toBeCloseTo(Math.exp(nll / 6), 12);
  });

  it('ignores padding and takes probabilities', () => {
    // targets [3, 0(pad)]: only p(3) = 0.5 counts → perplexity 2
    const probs = [[[0.1, 0.2, 0.2, 0.5], [0.97, 0.01, 0.01, 0.01]]];
    expect(perplexity.compute([[3, 0]], probs, { fromLogits: false, ignoreIndex: 0 })).toBeCloseTo(2, 12);
    // without ignoring: exp(−(ln 0.5 + ln 0.97) / 2)
    expect(perplexity.compute([[3, 0]], probs, { fromLogits: false })).toBeCloseTo(Math.exp(-(Math.log(0.5) + Math.log(0.97)) / 2), 12);
    // probability 0 for a target: infinite perplexity
    expect(perplexity.compute([[1]], [[[1, 0]]], { fromLogits: false })).toBe(Infinity);
    // all padding: zeroDivision
    expect(perplexity.compute([[0, 0]], probs, { fromLogits: false, ignoreIndex: 0 })).toBeNaN();
  });

  it('streams token-weighted over batches, reads tensors without keeping them', async () => {
    const batches = [
      { yTrue: [[0, 1]], yPred: [[[2, 0], [0, 1]]] },
      { yTrue: [[1, 1, 0]], yPred: [[[0, 3], [1, 1], [0, -1]]] },
    ];
    const { single, merged } = singleAndMerged(() => perplexity(), batches);
    expect(merged).toBeCloseTo(single, 14);
    const ids = tf.tensor2d([[0, 1]], undefined, 'int32');
    const logits = tf.tensor3d([[[2, 0], [0, 1]]]);
    const m = perplexity();
    await expectNoLeaks(() => m.update(ids, logits));
    expect(tensorsHeldBy(m)).toBe(0);
    expect(m.result()).toBeCloseTo(Math.exp(-(logSoftmax([2, 0])[0] + logSoftmax([0, 1])[1]) / 2), 6);
    tf.dispose([ids, logits]);
  });

  it('needs a vocabulary axis and probabilities in range', () => {
    expect(() => perplexity.compute([[1, 2]], [[1, 2]])).toThrowError(
      new ShapeError("Perplexity 'perplexity': yPred expected shape [1, 2, numClasses] (a distribution over the vocabulary per token), got [1, 2]"),
    );
    expect(() => perplexity.compute([[1]], [[[0.5, 1.5]]], { fromLogits: false })).toThrowError(
      new ConfigError("Perplexity 'perplexity': yPred expected probabilities in [0, 1], got 1.5", { help: 'pass fromLogits: true for logits' }),
    );
    expect(() => perplexity.compute([[2]], [[[0, 1]]])).toThrowError(
      "Perplexity 'perplexity': yTrue expected integer class ids in [0, 2) (yPred has 2 classes), got 2",
    );
  });
});

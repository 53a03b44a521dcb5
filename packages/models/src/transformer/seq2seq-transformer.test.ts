import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { beamSearch, greedyDecode, seq2seqTransformer, seq2seqTransformerParameterCount } from '../index.js';
import type { Seq2SeqTransformer, Seq2SeqTransformerConfig } from '../index.js';

const ids = (rows: number[][]): tf.Tensor2D => tf.tensor2d(rows, undefined, 'int32');
const tiny: Seq2SeqTransformerConfig = {
  sourceVocabSize: 9, targetVocabSize: 11, maxLength: 12, dModel: 8, numHeads: 2, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 12, dropout: 0,
};
const build = (extra: Partial<Seq2SeqTransformerConfig> = {}, seed = 1): Seq2SeqTransformer =>
  seq2seqTransformer({ ...tiny, ...extra }).build({ source: [null, null], target: [null, null] }, rng(seed));
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

const variants = [
  ['post-norm, sinusoidal, tied', {}],
  ['pre-norm, learned, untied', { normFirst: true, positions: 'learned', tieWeights: false }],
] as const;

describe('Seq2SeqTransformer', () => {
  it.each(variants)('maps source and target ids to [batch, T, targetVocab] logits, with the closed-form count (%s)', (_, extra) => {
    const model = build(extra);
    for (const [b, s, t] of [[1, 1, 1], [3, 5, 4]] as const) {
      const y = model.apply({ source: ids(Array.from({ length: b }, () => Array.from({ length: s }, (_, i) => (i % 8) + 1))), target: ids(Array.from({ length: b }, () => Array.from({ length: t }, (_, i) => (i % 10) + 1))) });
      expect(y.shape).toEqual([b, t, 11]);
      y.dispose();
    }
    expect(model.countParams().total).toBe(seq2seqTransformerParameterCount({ ...tiny, ...extra }));
    model.dispose();
  });

  it('states the default count: 82,026,496 with 37,000-token vocabularies', () => {
    const d = 512;
    const att = 4 * (d * d + d);
    const ffn = 2 * d * 2048 + 2048 + d;
    expect(seq2seqTransformerParameterCount({ sourceVocabSize: 37000, targetVocabSize: 37000 })).toBe(2 * 37000 * d + 6 * (att + ffn + 4 * d) + 6 * (2 * att + ffn + 6 * d));
    expect(seq2seqTransformerParameterCount({ sourceVocabSize: 37000, targetVocabSize: 37000 })).toBe(82_026_496);
  });

  it.each(variants)('gives the same logits with and without the key/value cache at every step (1e-5), %s', async (_, extra) => {
    const model = build(extra, 2);
    const source = ids([[3, 4, 5, 0], [6, 7, 1, 2]]); // row 0 padded
    const cached = model.decoder(source);
    const plain = model.decoder(source, { cache: false });
    await expectNoLeaks(() => {
      let a = cached.init([0, 1, 1]);
      let b = plain.init([0, 1, 1]);
      let feed = [[1], [1], [1]];
      for (let step = 0; step < 7; step++) {
        const ra = cached.step(a, feed);
        const rb = plain.step(b, feed);
        a = ra.state;
        b = rb.state;
        expect(maxAbsDiff(ra.logits.dataSync(), rb.logits.dataSync())).toBeLessThan(1e-5);
        tf.dispose([ra.logits, rb.logits]);
        feed = [[(step * 3 + 2) % 11], [(step * 5 + 1) % 11], [(step + 4) % 11]];
        if (step === 3) {
          a = cached.select(a, [2, 0, 0]);
          b = plain.select(b, [2, 0, 0]);
        }
      }
      cached.dispose(a);
      plain.dispose(b);
    }, 'decoding');
    source.dispose();
    model.dispose();
  });

  it('is causal in the target and ignores source padding', () => {
    const model = build({}, 3);
    const source = ids([[3, 4, 5]]);
    const target = [1, 6, 2, 8, 3];
    const y0 = model.apply({ source, target: ids([target]) }).arraySync() as number[][][];
    for (let t = 1; t < target.length; t++) {
      const changed = [...target];
      changed[t] = (changed[t]! + 4) % 11;
      const y1 = model.apply({ source, target: ids([changed]) }).arraySync() as number[][][];
      for (let s = 0; s < t; s++) expect(maxAbsDiff(y1[0]![s]!, y0[0]![s]!)).toBe(0);
    }
    const padded = model.apply({ source: ids([[3, 4, 5, 0, 0]]), target: ids([target]) }).arraySync() as number[][][];
    expect(maxAbsDiff(padded.flat(2), y0.flat(2))).toBeLessThan(1e-5);
    model.dispose();
    source.dispose();
  });

  it('overfits a tiny batch (teacher forcing), then greedy and beam decoding reproduce the targets', () => {
    // Reverse three 3-token sequences; targets end with 2 (end), the decoder starts from 1.
    // The token cross-entropy starts near ln 11 ≈ 2.4; 60 Adam steps must bring it below 0.1
    // (every target token above ~90% likely), after which decoding must return the targets.
    const model = build({ dModel: 16, dimFeedforward: 32 }, 4);
    const sources = [[3, 4, 5], [6, 3, 7], [8, 8, 4]];
    const targets = sources.map((s) => [...s].reverse().concat(2));
    const source = ids(sources);
    const input = ids(targets.map((t) => [1, ...t.slice(0, -1)]));
    const labels = tf.oneHot(ids(targets), 11);
    const optimizer = tf.train.adam(0.03);
    const vars = Object.values(model.trainableParameters());
    const loss = (): tf.Scalar => tf.losses.softmaxCrossEntropy(labels, model.apply({ source, target: input }, { training: true })) as tf.Scalar;
    const first = tf.tidy(() => loss().dataSync()[0]!);
    let last = first;
    for (let i = 0; i < 60; i++) {
      const cost = optimizer.minimize(loss, true, vars)!;
      last = cost.dataSync()[0]!;
      cost.dispose();
    }
    expect(first).toBeGreaterThan(2);
    expect(last).toBeLessThan(0.1);
    const prompts = sources.map(() => [1]);
    expect(greedyDecode(model.decoder(source), { prompts, maxLength: 6, endToken: 2 })).toEqual(targets);
    expect(beamSearch(model.decoder(source), { prompts, beamWidth: 2, maxLength: 6, endToken: 2 }).map((b) => b[0]!.tokens)).toEqual(targets);
    tf.dispose([source, input, labels]);
    optimizer.dispose();
    model.dispose();
  });

  it('validates every field with a message naming it, and the inputs', () => {
    const name = "Seq2SeqTransformer 'seq2seq_transformer'";
    expect(() => seq2seqTransformer({ ...tiny, dModel: 9 })).toThrow(new ConfigError(`${name}: dModel expected a multiple of numHeads 2, got 9`));
    for (const key of ['sourceVocabSize', 'targetVocabSize', 'maxLength', 'numEncoderLayers', 'numDecoderLayers', 'numHeads', 'dimFeedforward'] as const) {
      expect(() => seq2seqTransformer({ ...tiny, [key]: 0 })).toThrow(new ConfigError(`${name}: ${key} expected a positive integer, got 0`));
    }
    expect(() => seq2seqTransformer({ ...tiny, dropout: 1 })).toThrow(/dropout expected a rate in \[0, 1\), got 1/);
    expect(() => seq2seqTransformer({ ...tiny, positions: 'rope' as 'learned' })).toThrow(/positions expected 'sinusoidal' or 'learned', got 'rope'/);
    expect(() => seq2seqTransformer({ ...tiny, padId: 9 })).toThrow(/padId expected an integer in \[0, 9\) \(both vocabularies\) or null, got 9/);
    expect(() => seq2seqTransformer({ ...tiny, layerNormEps: 0 })).toThrow(/layerNormEps expected a positive number/);
    const model = build();
    expect(() => model.apply({ source: tf.tensor1d([1], 'int32'), target: ids([[1]]) })).toThrow(new ShapeError(`${name}: source expected rank 2 [batch, length] of token ids, got shape [1]`));
    const source = ids([[1, 2]]);
    expect(() => model.decoder(source).init([1])).toThrow(/decoder row 0 expected a source row in \[0, 1\), got 1/);
    expect(() => greedyDecode(model.decoder(source), { prompts: [[1], [1]], maxLength: 2 })).toThrow(/prompts expected 1 rows \(one per source row\), got 2/);
    source.dispose();
    model.dispose();
  });
});

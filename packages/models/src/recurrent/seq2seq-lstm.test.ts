import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError, expectNoLeaks, rng, tf } from '@tensorloom/core';
import { beamSearch, greedyDecode, seq2seqLSTM, seq2seqLSTMParameterCount } from '../index.js';
import type { Seq2SeqLSTM, Seq2SeqLSTMConfig } from '../index.js';
import { loadFixture, maxAbsDiff } from '../transformer/internal/fixture.js';

const ids = (rows: number[][]): tf.Tensor2D => tf.tensor2d(rows, undefined, 'int32');
const tiny: Seq2SeqLSTMConfig = { sourceVocabSize: 9, targetVocabSize: 11, embeddingDim: 5, units: 6, attentionDim: 4 };
const build = (extra: Partial<Seq2SeqLSTMConfig>, seed = 1): Seq2SeqLSTM => seq2seqLSTM({ ...tiny, ...extra }).build({ source: [null, null], target: [null, null] }, rng(seed));
const attentions = ['bahdanau', 'luong'] as const;

describe('Seq2SeqLSTM', () => {
  it.each(attentions)('maps source and target ids to [batch, T, vocab] logits with the closed-form count (%s)', (attention) => {
    const model = build({ attention, dropout: 0.1 });
    for (const [b, s, t] of [[1, 1, 1], [2, 5, 3]] as const) {
      const y = model.apply({ source: ids(Array.from({ length: b }, () => Array.from({ length: s }, (_, i) => i + 1))), target: ids(Array.from({ length: b }, () => Array.from({ length: t }, (_, i) => i + 1))) }, { training: true });
      expect(y.shape).toEqual([b, t, 11]);
      y.dispose();
    }
    expect(model.countParams().total).toBe(seq2seqLSTMParameterCount({ ...tiny, attention }));
    model.dispose();
  });

  it('states the default count: 9,199,376 with 10,000-token vocabularies (Luong)', () => {
    const [v, e, u] = [10000, 256, 256];
    expect(seq2seqLSTMParameterCount({ sourceVocabSize: v, targetVocabSize: v })).toBe(2 * v * e + 4 * u * (e + u + 1) + 4 * u * (e + 2 * u + 1) + 3 * u * u + u * v + v);
    expect(seq2seqLSTMParameterCount({ sourceVocabSize: v, targetVocabSize: v })).toBe(9_199_376);
  });

  it.each(attentions)('equals PyTorch (nn.LSTM encoder over packed sources, nn.LSTMCell decoder, %s attention) under teacher forcing (1e-5)', async (attention) => {
    const name = `seq2seq-lstm-${attention}`;
    const f = loadFixture(readFileSync(new URL(`./fixtures/${name}.safetensors`, import.meta.url)), readFileSync(new URL(`./fixtures/${name}.map.json`, import.meta.url), 'utf8'));
    const { sourceLength, ...config } = f.config as unknown as Seq2SeqLSTMConfig & { sourceLength: number };
    const model = seq2seqLSTM(config).build({ source: [null, null], target: [null, null] }, rng(0));
    model.loadState(f.state);
    const [b, total] = f.ids.shape as [number, number];
    const source = tf.slice(f.ids, [0, 0], [b, sourceLength]);
    const target = tf.slice(f.ids, [0, sourceLength], [b, total - sourceLength]);
    const y = await expectNoLeaks(() => model.apply({ source, target }), 'apply');
    expect(maxAbsDiff(y, f.outputs.logits!)).toBeLessThan(1e-5);
    // Step-by-step decoding with the same inputs gives the same logits at every position.
    const decoder = model.decoder(source);
    const rows = target.arraySync() as number[][];
    const expected = f.outputs.logits!.arraySync() as number[][][];
    await expectNoLeaks(() => {
      let state = decoder.init([0, 1, 2]);
      for (let t = 0; t < rows[0]!.length; t++) {
        const step = decoder.step(state, rows.map((r) => [r[t]!]));
        state = step.state;
        const got = step.logits.arraySync();
        step.logits.dispose();
        got.forEach((row, i) => row.forEach((v, k) => expect(Math.abs(v - expected[i]![t]![k]!)).toBeLessThan(1e-5)));
      }
      decoder.dispose(state);
    }, 'decoder');
    tf.dispose([y, source, target]);
    f.dispose();
    model.dispose();
  });

  it.each(attentions)('ignores source padding (%s)', (attention) => {
    const model = build({ attention }, 2);
    const target = ids([[1, 4, 6]]);
    const a = model.apply({ source: ids([[3, 4, 5]]), target });
    const b = model.apply({ source: ids([[3, 4, 5, 0, 0]]), target });
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
    tf.dispose([a, b, target]);
    model.dispose();
  });

  it.each(attentions)('overfits a tiny batch (teacher forcing), then greedy and beam decoding return the targets (%s)', (attention) => {
    // Reverse three 3-token sequences (targets end with 2, decoding starts from 1). The token
    // cross-entropy starts near ln 11 ≈ 2.4; 60 Adam steps must bring it below 0.1 (every
    // target token above ~90% likely), after which decoding must return the targets.
    const model = build({ attention, embeddingDim: 8, units: 16, attentionDim: 8 }, 3);
    const sources = [[3, 4, 5], [6, 3, 7], [8, 8, 4]];
    const targets = sources.map((s) => [...s].reverse().concat(2));
    const source = ids(sources);
    const input = ids(targets.map((t) => [1, ...t.slice(0, -1)]));
    const labels = tf.oneHot(ids(targets), 11);
    const optimizer = tf.train.adam(0.05);
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
    expect(beamSearch(model.decoder(source), { prompts, beamWidth: 3, maxLength: 6, endToken: 2 }).map((b) => b[0]!.tokens)).toEqual(targets);
    tf.dispose([source, input, labels]);
    optimizer.dispose();
    model.dispose();
  });

  it('validates every field with a message naming it, and the inputs', () => {
    const name = "Seq2SeqLSTM 'seq2seq_lstm'";
    for (const key of ['sourceVocabSize', 'targetVocabSize', 'embeddingDim', 'units', 'attentionDim'] as const) {
      expect(() => seq2seqLSTM({ ...tiny, [key]: 0 })).toThrow(new ConfigError(`${name}: ${key} expected a positive integer, got 0`));
    }
    expect(() => seq2seqLSTM({ ...tiny, attention: 'dot' as 'luong' })).toThrow(/attention expected 'bahdanau' or 'luong', got 'dot'/);
    expect(() => seq2seqLSTM({ ...tiny, dropout: 1 })).toThrow(/dropout expected a rate in \[0, 1\), got 1/);
    expect(() => seq2seqLSTM({ ...tiny, padId: 9 })).toThrow(/padId expected an integer in \[0, 9\) \(both vocabularies\) or null, got 9/);
    const model = build({});
    expect(() => model.apply({ source: ids([[1, 2]]), target: ids([[1], [2]]) })).toThrow(new ShapeError(`${name}: target batch expected 1 (the source's), got shape [2, 1]`));
    expect(() => model.apply({ source: tf.tensor1d([1], 'int32'), target: ids([[1]]) })).toThrow(/source expected rank 2 \[batch, length\] of token ids, got shape \[1\]/);
    model.dispose();
  });
});

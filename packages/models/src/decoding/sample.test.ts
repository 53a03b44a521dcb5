import { describe, expect, it } from 'vitest';
import { ConfigError, rng } from '@tensorloom/core';
import { causalLM, greedyDecode, sampleDecode, samplingDistribution } from '../index.js';
import { markovDecoder } from './internal/testing.js';

describe('samplingDistribution', () => {
  it('applies temperature, top-k and top-p as hand-computed', () => {
    const logits = [2, 1, 0, Math.log(0.5)];
    const z = Math.exp(2) + Math.exp(1) + 1 + 0.5;
    const full = samplingDistribution(logits, 1, 0, 1);
    expect(full.ids).toEqual([0, 1, 2, 3]);
    full.probs.forEach((p, i) => expect(p).toBeCloseTo([Math.exp(2), Math.exp(1), 1, 0.5][i]! / z, 12));
    const hot = samplingDistribution(logits, 2, 0, 1); // logits / 2
    const z2 = Math.exp(1) + Math.exp(0.5) + 1 + Math.sqrt(0.5);
    expect(hot.probs[0]).toBeCloseTo(Math.exp(1) / z2, 12);
    const k2 = samplingDistribution(logits, 1, 2, 1);
    expect(k2.ids).toEqual([0, 1]);
    expect(k2.probs[0]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + Math.exp(1)), 12);
    // p(0) ≈ 0.638, p(0) + p(1) ≈ 0.873: topP 0.7 keeps two tokens, topP 0.6 one.
    expect(samplingDistribution(logits, 1, 0, 0.7).ids).toEqual([0, 1]);
    expect(samplingDistribution(logits, 1, 0, 0.6)).toEqual({ ids: [0], probs: [1] });
    expect(samplingDistribution([1, 3, 3], 1, 1, 1).ids).toEqual([1]); // ties: the lower id
  });
});

describe('sampleDecode', () => {
  const table = [
    [0, 0, 0, 0],
    [0, 0, 1, 0.5],
    [1, 0.1, 0.5, 0.2],
    [-1, 1.2, 1, 0.3],
  ];

  it('is reproducible from a seed and differs across seeds', () => {
    const run = (seed: number): number[][] => sampleDecode(markovDecoder(table), { prompts: [[3], [1], [2]], maxLength: 12, rng: rng(seed) });
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('draws tokens with the model probabilities', () => {
    // One step from token 1, 4000 rows: frequencies within 0.03 of softmax([0, 0, 1, 0.5]).
    const rows = 4000;
    const out = sampleDecode(markovDecoder(table), { prompts: Array.from({ length: rows }, () => [1]), maxLength: 1, rng: rng(1) });
    const z = 2 + Math.E + Math.exp(0.5);
    const expected = [1 / z, 1 / z, Math.E / z, Math.exp(0.5) / z];
    const counts = [0, 0, 0, 0];
    for (const [t] of out) counts[t!]!++;
    counts.forEach((c, i) => expect(Math.abs(c / rows - expected[i]!)).toBeLessThan(0.03));
  });

  it('with topK 1 equals greedy decoding on a causal LM', () => {
    const lm = causalLM({ vocabSize: 9, contextLength: 16, dModel: 8, numLayers: 1, numHeads: 2, dropout: 0 }).build([null, null], rng(3));
    const prompts = [[1, 2], [5, 5]];
    const greedy = greedyDecode(lm.decoder(), { prompts, maxLength: 7, endToken: 0 });
    expect(sampleDecode(lm.decoder(), { prompts, maxLength: 7, endToken: 0, topK: 1, temperature: 0.7, rng: rng(2) })).toEqual(greedy);
    lm.dispose();
  });

  it('rejects bad options with messages naming them', () => {
    const d = markovDecoder(table);
    const base = { prompts: [[1]], maxLength: 2, rng: rng(1) };
    expect(() => sampleDecode(d, { ...base, temperature: 0 })).toThrow(new ConfigError('sampleDecode: temperature expected a positive number, got 0'));
    expect(() => sampleDecode(d, { ...base, topK: -1 })).toThrow(/topK expected a non-negative integer \(0 = all\), got -1/);
    expect(() => sampleDecode(d, { ...base, topP: 0 })).toThrow(/topP expected a number in \(0, 1\], got 0/);
  });
});

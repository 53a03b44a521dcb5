import { describe, expect, it } from 'vitest';
import { ConfigError, expectNoLeaks, rng } from '@tensorloom/core';
import { beamSearch, causalLM, greedyDecode } from '../index.js';
import { enumerate, markovDecoder } from './internal/testing.js';

// Vocabulary 4, end token 0. Token 1 is likely after the start token 3 but leads to a poor
// continuation; exact search therefore differs from greedy.
const table = [
  [0, 0, 0, 0],
  [0.2, 0, 1, 1.1],
  [2, 0.1, 0.5, 0.2],
  [-1, 1.2, 1, 0.3],
];

describe('beamSearch', () => {
  it('equals exhaustive search when the beam holds every hypothesis', () => {
    for (const alpha of [0, 1, 0.6]) {
      const result = beamSearch(markovDecoder(table), { prompts: [[3]], beamWidth: 64, maxLength: 3, endToken: 0, lengthPenalty: alpha })[0]!;
      const all = enumerate(table, 3, 3, 0)
        .map((h) => ({ ...h, score: h.logProb / Math.pow(h.tokens.length, alpha) }))
        .sort((a, b) => b.score - a.score);
      expect(result.length).toBe(all.length);
      result.forEach((h, i) => {
        expect(h.score).toBeCloseTo(all[i]!.score, 6);
        expect(h.logProb).toBeCloseTo(all[i]!.logProb, 6);
      });
      expect(result[0]!.tokens).toEqual(all[0]!.tokens);
    }
  });

  it('finds a better sequence than greedy with width 2 on this chain', () => {
    const greedy = greedyDecode(markovDecoder(table), { prompts: [[3]], maxLength: 3, endToken: 0 })[0]!;
    expect(greedy).toEqual([1, 3, 1]); // 1 (1.2) then 3 (1.1) then 1 (1.2): never ends
    const [best] = beamSearch(markovDecoder(table), { prompts: [[3]], beamWidth: 2, maxLength: 3, endToken: 0, lengthPenalty: 0 })[0]!;
    const exact = enumerate(table, 3, 3, 0).sort((a, b) => b.logProb - a.logProb)[0]!;
    expect(best!.tokens).toEqual(exact.tokens);
    expect(best!.tokens).toEqual([2, 0]);
  });

  it('returns sorted, valid hypotheses that stop at the end token and respect maxLength', () => {
    const lm = causalLM({ vocabSize: 9, contextLength: 16, dModel: 8, numLayers: 1, numHeads: 2, dropout: 0 }).build([null, null], rng(4));
    const out = beamSearch(lm.decoder(), { prompts: [[1, 2], [3, 4]], beamWidth: 3, maxLength: 6, endToken: 0 });
    expect(out.length).toBe(2);
    for (const beams of out) {
      expect(beams.length).toBe(3);
      for (let i = 1; i < beams.length; i++) expect(beams[i - 1]!.score).toBeGreaterThanOrEqual(beams[i]!.score);
      for (const b of beams) {
        expect(b.tokens.length).toBeGreaterThan(0);
        expect(b.tokens.length).toBeLessThanOrEqual(6);
        b.tokens.forEach((t, i) => {
          expect(Number.isInteger(t) && t >= 0 && t < 9).toBe(true);
          if (t === 0) expect(i).toBe(b.tokens.length - 1); // nothing after the end token
        });
        if (b.tokens.at(-1) !== 0) expect(b.tokens.length).toBe(6);
        expect(b.score).toBeCloseTo(b.logProb / b.tokens.length, 10);
      }
    }
    lm.dispose();
  });

  it('with width 1 equals greedy decoding, cached and uncached alike, without leaks', async () => {
    const lm = causalLM({ vocabSize: 7, contextLength: 16, dModel: 8, numLayers: 2, numHeads: 2, dropout: 0 }).build([null, null], rng(9));
    const prompts = [[1, 2, 3], [4, 5, 6], [6, 6, 1]];
    const greedy = greedyDecode(lm.decoder(), { prompts, maxLength: 8, endToken: 2 });
    await expectNoLeaks(() => {
      for (const cache of [true, false]) {
        const beams = beamSearch(lm.decoder({ cache }), { prompts, beamWidth: 1, maxLength: 8, endToken: 2 });
        expect(beams.map((b) => b[0]!.tokens)).toEqual(greedy);
      }
      // Wider beams through the cached decoder equal the uncached ones (select reorders the cache).
      const a = beamSearch(lm.decoder(), { prompts, beamWidth: 3, maxLength: 6, endToken: 2 });
      const b = beamSearch(lm.decoder({ cache: false }), { prompts, beamWidth: 3, maxLength: 6, endToken: 2 });
      expect(a.map((r) => r.map((h) => h.tokens))).toEqual(b.map((r) => r.map((h) => h.tokens)));
      a.flat().forEach((h, i) => expect(h.score).toBeCloseTo(b.flat()[i]!.score, 4));
    }, 'beamSearch');
    lm.dispose();
  });

  it('rejects bad options with messages naming them', () => {
    const d = markovDecoder(table);
    expect(() => beamSearch(d, { prompts: [[3]], beamWidth: 0, maxLength: 3 })).toThrow(new ConfigError('beamSearch: beamWidth expected a positive integer, got 0'));
    expect(() => beamSearch(d, { prompts: [[3]], beamWidth: 2, maxLength: 0 })).toThrow(new ConfigError('beamSearch: maxLength expected a positive integer, got 0'));
    expect(() => beamSearch(d, { prompts: [[3]], beamWidth: 2, maxLength: 3, lengthPenalty: NaN })).toThrow(/lengthPenalty expected a finite number, got NaN/);
    expect(() => beamSearch(d, { prompts: [[3]], beamWidth: 2, maxLength: 3, endToken: 4 })).toThrow(new ConfigError('beamSearch: endToken expected an integer in [0, 4), got 4'));
    expect(() => beamSearch(d, { prompts: [[3], [1, 2]], beamWidth: 2, maxLength: 3 })).toThrow(/prompts\[1\] expected 1 tokens like prompts\[0\], got 2/);
    expect(() => beamSearch(d, { prompts: [], beamWidth: 2, maxLength: 3 })).toThrow(/prompts expected at least one row, got 0/);
    expect(() => beamSearch(d, { prompts: [[9]], beamWidth: 2, maxLength: 3 })).toThrow(/prompts\[0\]\[0\] expected an integer in \[0, 4\), got 9/);
  });
});

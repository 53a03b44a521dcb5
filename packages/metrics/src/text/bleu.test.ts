import { describe, expect, it } from 'vitest';
import { ConfigError, ShapeError } from '@tensorloom/core';
import { bleu } from '../index.js';
import { singleAndMerged } from '../internal/testing.js';

// References: scripts/reference_bleu.py — an independent re-implementation of NLTK's
// corpus_bleu that reproduces the values in NLTK's documentation.
const hyp1 = 'It is a guide to action which ensures that the military always obeys the commands of the party';
const ref1a = 'It is a guide to action that ensures that the military will forever heed Party commands';
const ref1b = 'It is the guiding principle which guarantees the military forces always being under the command of the Party';
const ref1c = 'It is the practical guide for the army always to heed the directions of the party';
const hyp2 = 'he read the book because he was interested in world history';
const ref2a = 'he was interested in world history because he read the book';

describe('bleu', () => {
  it('reproduces NLTK corpus_bleu / sentence_bleu documentation values', () => {
    // nltk.translate.bleu_score.corpus_bleu([[ref1a, ref1b, ref1c], [ref2a]], [hyp1, hyp2]) = 0.5920778868801042
    expect(bleu.compute([[ref1a, ref1b, ref1c], [ref2a]], [hyp1, hyp2])).toBeCloseTo(0.5920778868801042, 12);
    // sentence_bleu([ref1a, ref1b, ref1c], hyp1) = 0.5045666840058485
    expect(bleu.compute([[ref1a, ref1b, ref1c]], [hyp1])).toBeCloseTo(0.5045666840058485, 12);
    // tokenised input gives the same
    const tok = (s: string): string[] => s.split(' ');
    expect(bleu.compute([[tok(ref1a), tok(ref1b), tok(ref1c)], [tok(ref2a)]], [tok(hyp1), tok(hyp2)])).toBeCloseTo(
      0.5920778868801042,
      12,
    );
  });

  it('smoothing methods (NLTK method0–3 = none, floor, addK, exp)', () => {
    // 'the cat sat on a mat' vs 'the cat is on the mat': p1 4/6, p2 1/5, p3 0/4, p4 0/3.
    const refs = ['the cat is on the mat'];
    const hyps = ['the cat sat on a mat'];
    expect(bleu.compute(refs, hyps)).toBe(0);
    // floor: (4/6 · 1/5 · 0.1/4 · 0.1/3)^(1/4)
    expect(bleu.compute(refs, hyps, { smoothing: 'floor' })).toBeCloseTo(0.10266900960803409, 12);
    // addK (orders > 1): (4/6 · 2/6 · 1/5 · 1/4)^(1/4) = (1/90)^(1/4)
    expect(bleu.compute(refs, hyps, { smoothing: 'addK' })).toBeCloseTo(0.32466791547509893, 12);
    // exp (NIST): p3 = 1/(2·4), p4 = 1/(4·3) → (1/720)^(1/4)
    expect(bleu.compute(refs, hyps, { smoothing: 'exp' })).toBeCloseTo(0.19304869754804482, 12);
    // maxOrder 2: sqrt(4/6 · 1/5)
    expect(bleu.compute(refs, hyps, { maxOrder: 2 })).toBeCloseTo(Math.sqrt(2 / 15), 12);
  });

  it('brevity penalty, perfect match, nothing matching, empty', () => {
    // 5 of 9 words, all n-grams matching: exp(1 − 9/5)
    expect(bleu.compute(['the quick brown fox jumps over the lazy dog'], ['the quick brown fox jumps'])).toBeCloseTo(
      Math.exp(-0.8),
      12,
    );
    // the closest reference (6 words, not 7) sets the length; a longer hypothesis has BP 1
    expect(bleu.compute([['the cat is on the mat', 'there is a cat on the mat']], ['the cat is on the mat'])).toBe(1);
    expect(bleu.compute(['a b c d'], ['w x y z'], { smoothing: 'exp' })).toBe(0);
    expect(bleu.compute([], [])).toBe(0);
    // hypotheses shorter than 4 tokens have no 4-grams: 0 (sacrebleu), even with smoothing
    expect(bleu.compute(['a b c'], ['a b c'], { smoothing: 'exp' })).toBe(0);
    expect(bleu.compute(['a b c'], ['a b c'], { maxOrder: 3 })).toBe(1);
  });

  it('token ids, characters and lower-casing', () => {
    expect(bleu.compute([[[1, 2, 3, 4, 5]]], [[1, 2, 3, 4, 5]])).toBe(1);
    // a string token never matches a number token
    expect(bleu.compute([[['1', '2']]], [[1, 2]], { maxOrder: 1 })).toBe(0);
    expect(bleu.compute(['abcd'], ['abcd'], { tokenize: 'characters' })).toBe(1);
    expect(bleu.compute(['The Cat'], ['the cat'], { maxOrder: 2, lowercase: true })).toBe(1);
  });

  it('streams exactly: corpus statistics merged', () => {
    const batches = [
      { yTrue: [[ref1a, ref1b, ref1c]], yPred: [hyp1] },
      { yTrue: [[ref2a]], yPred: [hyp2] },
    ];
    const { single, merged } = singleAndMerged(() => bleu(), batches);
    expect(single).toBeCloseTo(0.5920778868801042, 12);
    expect(merged).toBe(single);
  });

  it('validates inputs and options', () => {
    expect(() => bleu.compute(['a', 'b'], ['a'])).toThrowError(
      new ShapeError("BLEU 'bleu': yPred expected 2 hypotheses (one per entry of yTrue), got 1"),
    );
    expect(() => bleu.compute([[]], ['a'])).toThrowError(
      "BLEU 'bleu': yTrue expected a reference or a non-empty list of references at index 0, got an empty list",
    );
    expect(() => bleu.compute(['a'], ['a'], { sampleWeight: [1] })).toThrowError(
      new ConfigError("BLEU 'bleu': sampleWeight expected undefined (text metrics take no sample weights), got an array"),
    );
    expect(() => bleu({ maxOrder: 0 })).toThrowError("BLEU 'bleu': maxOrder expected an integer >= 1, got 0");
    expect(() => bleu({ smoothing: 'floor', smoothValue: 0 })).toThrowError("BLEU 'bleu': smoothValue expected a number > 0, got 0");
  });
});

import { describe, expect, it } from 'vitest';
import { ConfigError, FormatError, rng } from '@tensorloom/core';
import { BpeTokenizer } from './bpe-tokenizer.js';
import { CharTokenizer } from './char-tokenizer.js';
import { Vocabulary } from './vocabulary.js';
import { WordTokenizer } from './word-tokenizer.js';

describe('Vocabulary', () => {
  it('puts the special tokens at fixed ids and the rest by frequency, ties in code-unit order', () => {
    const v = Vocabulary.fromCounts(new Map([['b', 3], ['a', 3], ['c', 5], ['rare', 1]]), { minFrequency: 2 });
    expect(v.tokens).toEqual(['<pad>', '<unk>', '<s>', '</s>', 'c', 'a', 'b']);
    expect([Vocabulary.PAD, Vocabulary.UNKNOWN, Vocabulary.START, Vocabulary.END]).toEqual([0, 1, 2, 3]);
    expect(v.id('rare')).toBe(1);
    expect(v.has('rare')).toBe(false);
    expect(v.token(5)).toBe('a');
    expect(Array.from(v.encode(['c', 'zzz']))).toEqual([4, 1]);
    expect(v.decode([2, 4, 0, 1, 3])).toEqual(['c']);
    expect(v.decode([2, 4, 1], { skipSpecial: false })).toEqual(['<s>', 'c', '<unk>']);
  });

  it('caps the size (special tokens included) and accepts records and custom specials', () => {
    const v = Vocabulary.fromCounts({ x: 1, y: 2, z: 3 }, { maxSize: 6, specials: { unknown: '?' } });
    expect(v.size).toBe(6);
    expect(v.tokens).toEqual(['<pad>', '?', '<s>', '</s>', 'z', 'y']);
    expect(Vocabulary.fromCounts({ '<s>': 9, a: 1 }).tokens).toEqual(['<pad>', '<unk>', '<s>', '</s>', 'a']);
  });

  it('round-trips through JSON', () => {
    const v = new Vocabulary(['a', 'b'], { specials: { pad: '_' } });
    const back = Vocabulary.fromJSON(JSON.parse(JSON.stringify(v)));
    expect(back.tokens).toEqual(v.tokens);
    expect(back.specials).toEqual(v.specials);
  });

  it('rejects bad input with messages naming it', () => {
    expect(() => new Vocabulary(['a', 'a'])).toThrow(
      new ConfigError("Vocabulary: token 'a' expected once and not a special token, got a duplicate"),
    );
    expect(() => new Vocabulary(['<pad>'])).toThrow(
      "Vocabulary: token '<pad>' expected once and not a special token, got a special token",
    );
    expect(() => new Vocabulary([], { specials: { pad: 'x', unknown: 'x' } })).toThrow(
      'Vocabulary: specials expected four distinct strings, got ["x","x","<s>","</s>"]',
    );
    expect(() => Vocabulary.fromCounts({}, { minFrequency: 0 })).toThrow('Vocabulary: minFrequency expected an integer >= 1, got 0');
    expect(() => Vocabulary.fromCounts({}, { maxSize: 3 })).toThrow(
      'Vocabulary: maxSize expected an integer >= 4 (the special tokens), got 3',
    );
    expect(() => new Vocabulary(['a']).token(5)).toThrow('Vocabulary: id expected an integer in [0, 5), got 5');
    expect(() => Vocabulary.fromJSON({ tokens: 3 })).toThrow(
      new FormatError('Vocabulary.fromJSON: json expected { specials, tokens }, got an object with keys [tokens]'),
    );
  });
});

describe('CharTokenizer', () => {
  it('encodes code points and decodes them back', () => {
    const chars = CharTokenizer.fit(['hello wörld 👋']);
    const ids = chars.encode('hello 👋');
    expect(ids).toBeInstanceOf(Int32Array);
    expect(ids.length).toBe(7); // the emoji is one token
    expect(chars.decode(ids)).toBe('hello 👋');
    const marked = chars.encode('he', { addStart: true, addEnd: true });
    expect([marked[0], marked[marked.length - 1]]).toEqual([2, 3]);
    expect(chars.decode(marked)).toBe('he');
    expect(chars.decode(chars.encode('hex'), { skipSpecial: false })).toBe('he<unk>');
  });

  it('builds by frequency with lower-casing, and survives JSON', () => {
    const chars = CharTokenizer.fit(['AAab', 'b'], { lowercase: true });
    expect(chars.vocabulary.tokens.slice(4)).toEqual(['a', 'b']);
    const back = CharTokenizer.fromJSON(JSON.parse(JSON.stringify(chars.toJSON())));
    expect(Array.from(back.encode('BA'))).toEqual(Array.from(chars.encode('ba')));
    expect(() => CharTokenizer.fromJSON({ type: 'word' })).toThrow(
      "CharTokenizer.fromJSON: json expected { type: 'char', version: 1, ... }, got an object with keys [type]",
    );
  });
});

describe('WordTokenizer', () => {
  it('splits words and punctuation and round-trips to space-joined tokens', () => {
    const words = WordTokenizer.fit(['The cat sat.', 'The dog ran!'], { lowercase: true });
    expect(words.tokenize('The cat, naïve 42!')).toEqual(['the', 'cat', ',', 'naïve', '42', '!']);
    const text = 'the dog sat!';
    expect(words.decode(words.encode(text))).toBe(words.tokenize(text).join(' '));
    expect(words.vocabulary.tokens.slice(4, 5)).toEqual(['the']); // the most frequent first
    expect(words.decode(words.encode('the zebra'), { skipSpecial: false })).toBe('the <unk>');
  });

  it('keeps the most frequent words under maxSize and a custom pattern through JSON', () => {
    const words = WordTokenizer.fit(['a a a b b c'], { maxSize: 6, pattern: /\S+/gu });
    expect(words.vocabulary.tokens.slice(4)).toEqual(['a', 'b']);
    const back = WordTokenizer.fromJSON(JSON.parse(JSON.stringify(words.toJSON())));
    expect(back.tokenize('x,y z')).toEqual(['x,y', 'z']);
    expect(() => new WordTokenizer(words.vocabulary, { pattern: /\w+/ })).toThrow(
      new ConfigError('WordTokenizer: pattern expected a RegExp with the g flag, got /\\w+/'),
    );
  });
});

/** Straightforward subword-nmt-style BPE training: recount every pair after each merge. */
function referenceTrain(corpus: string[], vocabSize: number, minFrequency = 2): [string, string][] {
  const counts = new Map<string, number>();
  for (const t of corpus) for (const w of t.split(/\s+/).filter(Boolean)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts].map(([w, c]) => {
    const syms = Array.from(w);
    syms[syms.length - 1] += '</w>';
    return { syms, c };
  });
  const symbols = new Set<string>(['</w>']);
  for (const { syms } of words) for (const x of syms) symbols.add(x);
  const merges: [string, string][] = [];
  while (4 + symbols.size < vocabSize) {
    const stats = new Map<string, [string, string, number]>();
    for (const { syms, c } of words) {
      for (let i = 0; i + 1 < syms.length; i++) {
        const key = `${syms[i]}\u0000${syms[i + 1]}`;
        const e = stats.get(key) ?? [syms[i]!, syms[i + 1]!, 0];
        e[2] += c;
        stats.set(key, e);
      }
    }
    let best: [string, string, number] | null = null;
    for (const e of stats.values()) {
      if (best === null || e[2] > best[2] || (e[2] === best[2] && (e[0] > best[0] || (e[0] === best[0] && e[1] > best[1])))) best = e;
    }
    if (best === null || best[2] < minFrequency) break;
    const [a, b] = best;
    merges.push([a, b]);
    symbols.add(a + b);
    for (const w of words) {
      const out: string[] = [];
      for (let i = 0; i < w.syms.length; i++) {
        if (i + 1 < w.syms.length && w.syms[i] === a && w.syms[i + 1] === b) {
          out.push(a + b);
          i++;
        } else out.push(w.syms[i]!);
      }
      w.syms = out;
    }
  }
  return merges;
}

/** Straightforward apply-BPE: merge every occurrence of the best-ranked pair, repeat. */
function referenceSegment(word: string, merges: readonly (readonly [string, string])[]): string[] {
  const rank = new Map<string, number>();
  merges.forEach(([a, b], r) => {
    const key = `${a}\u0000${b}`;
    if (!rank.has(key)) rank.set(key, r);
  });
  let syms = Array.from(word);
  syms[syms.length - 1] += '</w>';
  for (;;) {
    let best = Infinity;
    let pair: [string, string] | null = null;
    for (let i = 0; i + 1 < syms.length; i++) {
      const r = rank.get(`${syms[i]}\u0000${syms[i + 1]}`);
      if (r !== undefined && r < best) {
        best = r;
        pair = [syms[i]!, syms[i + 1]!];
      }
    }
    if (pair === null) return syms;
    const out: string[] = [];
    for (let i = 0; i < syms.length; i++) {
      if (i + 1 < syms.length && syms[i] === pair[0] && syms[i + 1] === pair[1]) {
        out.push(pair[0] + pair[1]);
        i++;
      } else out.push(syms[i]!);
    }
    syms = out;
  }
}

function randomWords(seed: number, count: number): string[] {
  const r = rng(seed);
  return Array.from({ length: count }, () => Array.from({ length: 1 + r.int(9) }, () => 'aabbcde'[r.int(7)]).join(''));
}

describe('BpeTokenizer', () => {
  // Sennrich et al. 2016's example corpus: low ×5, lower ×2, newest ×6, widest ×3.
  const corpus = [
    ...Array<string>(5).fill('low'),
    ...Array<string>(2).fill('lower'),
    ...Array<string>(6).fill('newest'),
    ...Array<string>(3).fill('widest'),
  ];

  it('learns the merges subword-nmt learns on the paper example', () => {
    // Hand-computed with subword-nmt's rule (most frequent pair; ties to the larger pair).
    // Words: l o w</w> ×5, l o w e r</w> ×2, n e w e s t</w> ×6, w i d e s t</w> ×3.
    //  1. (e,s)=9 and (s,t</w>)=9 tie; 's' > 'e'                     -> s+t</w>
    //  2. (e,st</w>)=9                                               -> e+st</w>
    //  3. (l,o)=7 is now the most frequent ((w,e) fell to 2, (w,est</w>) is 6) -> l+o
    //  4. 6-way ties (n,e), (e,w), (w,est</w>); 'w' largest           -> w+est</w>
    //  5. (n,e)=6 vs (e,west</w>)=6; 'n' > 'e'                        -> n+e
    //  6. (ne,west</w>)=6                                             -> ne+west</w>
    //  7. (lo,w</w>)=5                                                -> lo+w</w>
    //  8–10. widest: (w,i), (i,d), (d,est</w>) all 3: w+i, wi+d, wid+est</w>
    //  11–13. lower: (lo,w), (w,e), (e,r</w>) all 2: w+e, we+r</w>, lo+wer</w>
    const bpe = BpeTokenizer.train(corpus, { vocabSize: 1000 });
    expect(bpe.merges).toEqual([
      ['s', 't</w>'],
      ['e', 'st</w>'],
      ['l', 'o'],
      ['w', 'est</w>'],
      ['n', 'e'],
      ['ne', 'west</w>'],
      ['lo', 'w</w>'],
      ['w', 'i'],
      ['wi', 'd'],
      ['wid', 'est</w>'],
      ['w', 'e'],
      ['we', 'r</w>'],
      ['lo', 'wer</w>'],
    ]);
    expect(bpe.tokenize('lowest newer')).toEqual(['lo', 'west</w>', 'ne', 'wer</w>']);
    expect(bpe.vocabulary.size).toBe(4 + bpe.toJSON().alphabet.length + 13);
  });

  it('matches a straightforward reference implementation on random corpora', () => {
    for (const seed of [1, 2, 3]) {
      const corpus = [randomWords(seed, 300).join(' ')];
      const bpe = BpeTokenizer.train(corpus, { vocabSize: 60 });
      const merges = referenceTrain(corpus, 60);
      expect(bpe.merges).toEqual(merges);
      for (const word of randomWords(seed + 100, 50)) {
        expect(bpe.tokenize(word)).toEqual(referenceSegment(word, merges));
      }
    }
  });

  it('stops at vocabSize and at minFrequency', () => {
    const alphabet = BpeTokenizer.train(corpus, { vocabSize: 1000 }).toJSON().alphabet.length;
    const small = BpeTokenizer.train(corpus, { vocabSize: 4 + alphabet + 3 });
    expect(small.merges).toHaveLength(3);
    expect(small.vocabulary.size).toBe(4 + alphabet + 3);
    const frequent = BpeTokenizer.train(corpus, { vocabSize: 1000, minFrequency: 6 });
    expect(frequent.merges.map((m) => m.join('+'))).toEqual(['s+t</w>', 'e+st</w>', 'l+o', 'w+est</w>', 'n+e', 'ne+west</w>']);
    expect(() => BpeTokenizer.train(corpus, { vocabSize: 10 })).toThrow(
      new ConfigError(`BpeTokenizer.train: vocabSize expected an integer >= ${4 + alphabet} (4 special tokens + ${alphabet} initial symbols), got 10`),
    );
  });

  it('round-trips unseen text and words built from seen characters', () => {
    const text = 'the quick brown fox jumps over the lazy dog while the slow dog sleeps';
    const bpe = BpeTokenizer.train([text, text, 'quick quicker quickest'], { vocabSize: 80 });
    const unseen = 'a lazy fox sleeps quickest brown jumper';
    expect(bpe.decode(bpe.encode(unseen))).toBe(unseen);
    const ids = bpe.encode(unseen, { addStart: true, addEnd: true });
    expect(ids[0]).toBe(2);
    expect(bpe.decode(ids)).toBe(unseen);
    // an unseen character is unknown, and its word boundary survives
    expect(bpe.decode(bpe.encode('fox é dog'))).toBe('fox  dog');
    expect(bpe.decode(bpe.encode('fox é dog'), { skipSpecial: false })).toBe('fox <unk> dog');
  });

  it('is deterministic and survives JSON, with the same ids', () => {
    const texts = ['aaabdaaabac', 'abab abba baab', 'the theme then there'];
    const a = BpeTokenizer.train(texts, { vocabSize: 40, lowercase: true });
    const b = BpeTokenizer.train(texts, { vocabSize: 40, lowercase: true });
    expect(b.toJSON()).toEqual(a.toJSON());
    const back = BpeTokenizer.fromJSON(JSON.parse(JSON.stringify(a)));
    expect(back.vocabulary.tokens).toEqual(a.vocabulary.tokens);
    expect(Array.from(back.encode('The abba theme'))).toEqual(Array.from(a.encode('the abba theme')));
  });

  it('rejects malformed JSON with messages naming the problem', () => {
    expect(() => BpeTokenizer.fromJSON({ type: 'bpe', version: 2 })).toThrow(
      new FormatError(
        "BpeTokenizer.fromJSON: json expected { type: 'bpe', version: 1, alphabet, merges, ... }, got an object with keys [type, version]",
      ),
    );
    const json = { type: 'bpe', version: 1, lowercase: false, alphabet: ['a', 'a</w>', '</w>'], merges: [['a', 'b']] };
    expect(() => BpeTokenizer.fromJSON(json)).toThrow(
      "BpeTokenizer.fromJSON: merges[0] expected symbols already in the vocabulary, got ['a', 'b']",
    );
  });
});

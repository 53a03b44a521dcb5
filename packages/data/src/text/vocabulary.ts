import { ConfigError, FormatError, positiveInt } from '@tensorloom/core';

/**
 * The strings of the four special tokens. Their ids are fixed: pad 0, unknown 1, start 2,
 * end 3 (see {@link Vocabulary.PAD} and its siblings).
 *
 * @example
 * ```ts
 * const specials: SpecialTokens = { pad: '<pad>', unknown: '<unk>', start: '<s>', end: '</s>' };
 * ```
 *
 * @group Text
 */
export interface SpecialTokens {
  /** Padding, id 0. Default `'<pad>'`. */
  pad: string;
  /** Out-of-vocabulary token, id 1. Default `'<unk>'`. */
  unknown: string;
  /** Start of sequence, id 2. Default `'<s>'`. */
  start: string;
  /** End of sequence, id 3. Default `'</s>'`. */
  end: string;
}

/**
 * Options of {@link Vocabulary} construction.
 *
 * @example
 * ```ts
 * new Vocabulary(['a', 'b'], { specials: { unknown: '?' } });
 * ```
 *
 * @group Text
 */
export interface VocabularyOptions {
  /** Strings of the special tokens; unspecified ones keep their defaults. */
  specials?: Partial<SpecialTokens>;
}

/**
 * Options of {@link Vocabulary.fromCounts} and the tokenizers' `fit`.
 *
 * @example
 * ```ts
 * Vocabulary.fromCounts(counts, { minFrequency: 2, maxSize: 20_000 });
 * ```
 *
 * @group Text
 */
export interface BuildVocabularyOptions extends VocabularyOptions {
  /** Tokens seen fewer times are left out (they encode as unknown). Default 1. */
  minFrequency?: number;
  /** The largest vocabulary, special tokens included; the most frequent tokens are kept. Default: no limit. */
  maxSize?: number;
}

/**
 * A vocabulary in JSON form, as {@link Vocabulary.toJSON} writes it.
 *
 * @example
 * ```ts
 * const json: VocabularyJSON = vocab.toJSON();
 * ```
 *
 * @group Text
 */
export interface VocabularyJSON {
  /** The special tokens' strings. */
  specials: SpecialTokens;
  /** The ordinary tokens; token `tokens[i]` has id `4 + i`. */
  tokens: string[];
}

const DEFAULT_SPECIALS: SpecialTokens = { pad: '<pad>', unknown: '<unk>', start: '<s>', end: '</s>' };

/**
 * A bidirectional map between tokens and integer ids, with four special tokens at fixed
 * ids (pad 0, unknown 1, start 2, end 3) followed by the ordinary tokens from id 4.
 *
 * @example
 * ```ts
 * const vocab = Vocabulary.fromCounts(new Map([['the', 10], ['cat', 3], ['sat', 1]]), { minFrequency: 2 });
 * vocab.id('the');  // 4
 * vocab.id('sat');  // 1 (unknown)
 * vocab.token(5);   // 'cat'
 * ```
 *
 * @group Text
 */
export class Vocabulary {
  /** Id of the padding token. */
  static readonly PAD = 0;
  /** Id of the unknown token. */
  static readonly UNKNOWN = 1;
  /** Id of the start token. */
  static readonly START = 2;
  /** Id of the end token. */
  static readonly END = 3;

  /** The special tokens' strings. */
  readonly specials: SpecialTokens;
  readonly #tokens: string[];
  readonly #ids = new Map<string, number>();

  /**
   * @param tokens - the ordinary tokens in id order (ids from 4); no duplicates, no special.
   * @throws `ConfigError` on a duplicate token or one equal to a special token.
   */
  constructor(tokens: Iterable<string>, options: VocabularyOptions = {}) {
    this.specials = { ...DEFAULT_SPECIALS, ...options.specials };
    const specialList = [this.specials.pad, this.specials.unknown, this.specials.start, this.specials.end];
    this.#tokens = specialList.slice();
    specialList.forEach((s, id) => {
      if (typeof s !== 'string' || this.#ids.has(s)) {
        throw new ConfigError(`Vocabulary: specials expected four distinct strings, got ${JSON.stringify(specialList)}`);
      }
      this.#ids.set(s, id);
    });
    for (const token of tokens) {
      if (typeof token !== 'string') throw new ConfigError(`Vocabulary: tokens expected strings, got ${typeof token}`);
      if (this.#ids.has(token)) {
        const what = this.#ids.get(token)! < 4 ? 'a special token' : 'a duplicate';
        throw new ConfigError(`Vocabulary: token '${token}' expected once and not a special token, got ${what}`);
      }
      this.#ids.set(token, this.#tokens.length);
      this.#tokens.push(token);
    }
  }

  /**
   * Builds a vocabulary from token counts: most frequent first (ties in code-unit order of
   * the token, so the result is deterministic), keeping tokens seen at least `minFrequency`
   * times, at most `maxSize` ids in all. Tokens equal to a special token are skipped.
   *
   * @throws `ConfigError` when `minFrequency` is not a positive integer or `maxSize` is below 4.
   * @example
   * ```ts
   * const vocab = Vocabulary.fromCounts({ the: 10, cat: 3 });
   * ```
   */
  static fromCounts(
    counts: ReadonlyMap<string, number> | Iterable<readonly [string, number]> | Readonly<Record<string, number>>,
    options: BuildVocabularyOptions = {},
  ): Vocabulary {
    const minFrequency = positiveInt('Vocabulary', 'minFrequency', options.minFrequency ?? 1);
    const maxSize = options.maxSize ?? Infinity;
    if (maxSize !== Infinity && (!Number.isInteger(maxSize) || maxSize < 4)) {
      throw new ConfigError(`Vocabulary: maxSize expected an integer >= 4 (the special tokens), got ${maxSize}`);
    }
    const entries: [string, number][] =
      counts instanceof Map || Symbol.iterator in (counts as object)
        ? [...(counts as Iterable<readonly [string, number]>)].map(([t, c]) => [t, c])
        : Object.entries(counts as Record<string, number>);
    const specials = new Set(Object.values({ ...DEFAULT_SPECIALS, ...options.specials }));
    const kept = entries
      .filter(([t, c]) => c >= minFrequency && !specials.has(t))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, Math.max(0, maxSize - 4))
      .map(([t]) => t);
    return new Vocabulary(kept, options);
  }

  /**
   * Reads a vocabulary written by {@link Vocabulary.toJSON}.
   *
   * @throws `FormatError` when `json` is not such an object.
   * @example
   * ```ts
   * const vocab = Vocabulary.fromJSON(JSON.parse(text));
   * ```
   */
  static fromJSON(json: unknown): Vocabulary {
    const j = json as Partial<VocabularyJSON> | null;
    if (j === null || typeof j !== 'object' || !Array.isArray(j.tokens) || typeof j.specials !== 'object' || j.specials === null) {
      throw new FormatError(`Vocabulary.fromJSON: json expected { specials, tokens }, got ${describeJson(json)}`);
    }
    try {
      return new Vocabulary(j.tokens, { specials: j.specials });
    } catch (cause) {
      throw new FormatError(`Vocabulary.fromJSON: ${(cause as Error).message}`, { cause });
    }
  }

  /**
   * The number of ids, special tokens included.
   *
   * @example
   * ```ts
   * new Vocabulary(['a', 'b']).size; // 6
   * ```
   */
  get size(): number {
    return this.#tokens.length;
  }

  /**
   * Every token in id order (the special tokens first).
   *
   * @example
   * ```ts
   * new Vocabulary(['a']).tokens; // ['<pad>', '<unk>', '<s>', '</s>', 'a']
   * ```
   */
  get tokens(): readonly string[] {
    return this.#tokens;
  }

  /**
   * Whether `token` has an id of its own.
   *
   * @example
   * ```ts
   * vocab.has('cat');
   * ```
   */
  has(token: string): boolean {
    return this.#ids.has(token);
  }

  /**
   * The id of `token`, or {@link Vocabulary.UNKNOWN} when it has none.
   *
   * @example
   * ```ts
   * vocab.id('cat');
   * ```
   */
  id(token: string): number {
    return this.#ids.get(token) ?? Vocabulary.UNKNOWN;
  }

  /**
   * The token with id `id`.
   *
   * @throws `ConfigError` when `id` is not an id of this vocabulary.
   * @example
   * ```ts
   * vocab.token(0); // '<pad>'
   * ```
   */
  token(id: number): string {
    const t = this.#tokens[id];
    if (t === undefined || !Number.isInteger(id)) {
      throw new ConfigError(`Vocabulary: id expected an integer in [0, ${this.#tokens.length}), got ${id}`);
    }
    return t;
  }

  /**
   * The ids of `tokens` (unknown tokens as {@link Vocabulary.UNKNOWN}).
   *
   * @example
   * ```ts
   * vocab.encode(['the', 'cat']); // Int32Array [4, 5]
   * ```
   */
  encode(tokens: Iterable<string>): Int32Array {
    const ids: number[] = [];
    for (const t of tokens) ids.push(this.id(t));
    return Int32Array.from(ids);
  }

  /**
   * The tokens of `ids`, leaving out the special tokens unless `skipSpecial` is `false`.
   *
   * @throws `ConfigError` when an id is not in this vocabulary.
   * @example
   * ```ts
   * vocab.decode([2, 4, 5, 3]); // ['the', 'cat']
   * ```
   */
  decode(ids: ArrayLike<number> | Iterable<number>, options: { skipSpecial?: boolean } = {}): string[] {
    const skip = options.skipSpecial ?? true;
    const out: string[] = [];
    for (const id of Array.from(ids as ArrayLike<number>)) {
      const t = this.token(id);
      if (!(skip && id < 4)) out.push(t);
    }
    return out;
  }

  /**
   * The vocabulary as a JSON-ready object (`JSON.stringify(vocab)` works too).
   *
   * @example
   * ```ts
   * const text = JSON.stringify(vocab.toJSON());
   * ```
   */
  toJSON(): VocabularyJSON {
    return { specials: { ...this.specials }, tokens: this.#tokens.slice(4) };
  }
}

export function describeJson(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return `an object with keys [${Object.keys(x as object).join(', ')}]`;
  return typeof x;
}

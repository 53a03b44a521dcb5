import { ConfigError, FormatError } from '@tensorloom/core';
import { withMarkers } from './tokenizer.js';
import type { DecodeOptions, EncodeOptions, Tokenizer } from './tokenizer.js';
import { Vocabulary, describeJson } from './vocabulary.js';
import type { BuildVocabularyOptions, VocabularyJSON } from './vocabulary.js';

/**
 * How a {@link WordTokenizer} splits text.
 *
 * @example
 * ```ts
 * new WordTokenizer(vocab, { lowercase: true, pattern: /\S+/gu });
 * ```
 *
 * @group Text
 */
export interface WordTokenizerOptions {
  /** Lower-case text before splitting it. Default `false`. */
  lowercase?: boolean;
  /**
   * A global regular expression whose matches are the tokens. Default: runs of letters,
   * digits, marks and `_`, and every other non-space character on its own
   * (`/[\p{L}\p{M}\p{N}_]+|[^\p{L}\p{M}\p{N}_\s]/gu`), so punctuation is a token.
   */
  pattern?: RegExp;
}

/**
 * Options of {@link WordTokenizer.fit}.
 *
 * @example
 * ```ts
 * WordTokenizer.fit(texts, { lowercase: true, minFrequency: 2, maxSize: 20_000 });
 * ```
 *
 * @group Text
 */
export interface WordTokenizerFitOptions extends BuildVocabularyOptions, WordTokenizerOptions {}

/**
 * A {@link WordTokenizer} in JSON form.
 *
 * @example
 * ```ts
 * const json: WordTokenizerJSON = words.toJSON();
 * ```
 *
 * @group Text
 */
export interface WordTokenizerJSON {
  /** Always `'word'`. */
  type: 'word';
  /** Format version, 1. */
  version: 1;
  /** Whether text is lower-cased first. */
  lowercase: boolean;
  /** The pattern's source. */
  pattern: string;
  /** The pattern's flags. */
  flags: string;
  /** The vocabulary. */
  vocabulary: VocabularyJSON;
}

const DEFAULT_PATTERN = /[\p{L}\p{M}\p{N}_]+|[^\p{L}\p{M}\p{N}_\s]/gu;

/**
 * Splits text into words and punctuation and maps them to ids. Decoding joins tokens with
 * single spaces, so `decode(encode(text))` equals `tokenize(text).join(' ')` when every
 * token is in the vocabulary.
 *
 * @example
 * ```ts
 * const words = WordTokenizer.fit(['The cat sat.', 'The dog ran!'], { lowercase: true });
 * words.tokenize('The cat ran.');     // ['the', 'cat', 'ran', '.']
 * words.decode(words.encode('The cat ran.')); // 'the cat ran .'
 * ```
 *
 * @group Text
 */
export class WordTokenizer implements Tokenizer {
  /** The word ↔ id map. */
  readonly vocabulary: Vocabulary;
  /** Whether text is lower-cased first. */
  readonly lowercase: boolean;
  /** The token pattern. */
  readonly pattern: RegExp;

  /**
   * @throws `ConfigError` when `pattern` lacks the `g` flag.
   */
  constructor(vocabulary: Vocabulary, options: WordTokenizerOptions = {}) {
    const pattern = options.pattern ?? DEFAULT_PATTERN;
    if (!(pattern instanceof RegExp) || !pattern.global) {
      throw new ConfigError(`WordTokenizer: pattern expected a RegExp with the g flag, got ${String(pattern)}`);
    }
    this.vocabulary = vocabulary;
    this.lowercase = options.lowercase ?? false;
    this.pattern = pattern;
  }

  /**
   * Builds the vocabulary from the words of a corpus.
   *
   * @throws `ConfigError` on invalid options.
   * @example
   * ```ts
   * const words = WordTokenizer.fit(messages, { lowercase: true, minFrequency: 2 });
   * ```
   */
  static fit(corpus: Iterable<string>, options: WordTokenizerFitOptions = {}): WordTokenizer {
    const probe = new WordTokenizer(new Vocabulary([], options), options);
    const counts = new Map<string, number>();
    for (const text of corpus) for (const w of probe.tokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
    return new WordTokenizer(Vocabulary.fromCounts(counts, options), options);
  }

  /**
   * Reads a tokenizer written by {@link WordTokenizer.toJSON}.
   *
   * @throws `FormatError` when `json` is not such an object.
   * @example
   * ```ts
   * const words = WordTokenizer.fromJSON(JSON.parse(text));
   * ```
   */
  static fromJSON(json: unknown): WordTokenizer {
    const j = json as Partial<WordTokenizerJSON> | null;
    if (j === null || typeof j !== 'object' || j.type !== 'word' || j.version !== 1 || typeof j.pattern !== 'string') {
      throw new FormatError(`WordTokenizer.fromJSON: json expected { type: 'word', version: 1, ... }, got ${describeJson(json)}`);
    }
    return new WordTokenizer(Vocabulary.fromJSON(j.vocabulary), {
      lowercase: j.lowercase === true,
      pattern: new RegExp(j.pattern, j.flags ?? 'gu'),
    });
  }

  /**
   * The tokens of `text`.
   *
   * @example
   * ```ts
   * words.tokenize("Don't panic!"); // ['Don', "'", 't', 'panic', '!']
   * ```
   */
  tokenize(text: string): string[] {
    const source = this.lowercase ? text.toLowerCase() : text;
    return source.match(this.pattern) ?? [];
  }

  /**
   * The ids of the tokens of `text` (unknown ones as id 1).
   *
   * @example
   * ```ts
   * words.encode('the cat', { addEnd: true });
   * ```
   */
  encode(text: string, options: EncodeOptions = {}): Int32Array {
    return withMarkers(
      this.tokenize(text).map((w) => this.vocabulary.id(w)),
      options,
    );
  }

  /**
   * The tokens of `ids` joined by single spaces.
   *
   * @throws `ConfigError` when an id is not in the vocabulary.
   * @example
   * ```ts
   * words.decode([4, 5]); // 'the cat'
   * ```
   */
  decode(ids: ArrayLike<number> | Iterable<number>, options: DecodeOptions = {}): string {
    return this.vocabulary.decode(ids, options).join(' ');
  }

  /**
   * The tokenizer as a JSON-ready object.
   *
   * @example
   * ```ts
   * writeFileSync('words.json', JSON.stringify(words.toJSON()));
   * ```
   */
  toJSON(): WordTokenizerJSON {
    return {
      type: 'word',
      version: 1,
      lowercase: this.lowercase,
      pattern: this.pattern.source,
      flags: this.pattern.flags,
      vocabulary: this.vocabulary.toJSON(),
    };
  }
}

import { FormatError } from '@tensorloom/core';
import { withMarkers } from './tokenizer.js';
import type { DecodeOptions, EncodeOptions, Tokenizer } from './tokenizer.js';
import { Vocabulary, describeJson } from './vocabulary.js';
import type { BuildVocabularyOptions, VocabularyJSON } from './vocabulary.js';

/**
 * Options of {@link CharTokenizer.fit}.
 *
 * @example
 * ```ts
 * CharTokenizer.fit(texts, { lowercase: true, minFrequency: 5 });
 * ```
 *
 * @group Text
 */
export interface CharTokenizerFitOptions extends BuildVocabularyOptions {
  /** Lower-case text before splitting it. Default `false`. */
  lowercase?: boolean;
}

/**
 * A {@link CharTokenizer} in JSON form.
 *
 * @example
 * ```ts
 * const json: CharTokenizerJSON = tokenizer.toJSON();
 * ```
 *
 * @group Text
 */
export interface CharTokenizerJSON {
  /** Always `'char'`. */
  type: 'char';
  /** Format version, 1. */
  version: 1;
  /** Whether text is lower-cased first. */
  lowercase: boolean;
  /** The vocabulary. */
  vocabulary: VocabularyJSON;
}

/**
 * Splits text into characters (Unicode code points, so an emoji is one token, not two
 * UTF-16 halves) and maps them to ids. `decode(encode(text))` gives `text` back when every
 * character is in the vocabulary (and `lowercase` is off).
 *
 * @example
 * ```ts
 * const chars = CharTokenizer.fit(['hello world']);
 * const ids = chars.encode('hold', { addEnd: true }); // Int32Array
 * chars.decode(ids); // 'hold'
 * ```
 *
 * @group Text
 */
export class CharTokenizer implements Tokenizer {
  /** The character ↔ id map. */
  readonly vocabulary: Vocabulary;
  /** Whether text is lower-cased first. */
  readonly lowercase: boolean;

  /**
   * @param vocabulary - the characters' vocabulary.
   * @param options - `lowercase`: lower-case text before splitting it (default `false`).
   */
  constructor(vocabulary: Vocabulary, options: { lowercase?: boolean } = {}) {
    this.vocabulary = vocabulary;
    this.lowercase = options.lowercase ?? false;
  }

  /**
   * Builds the vocabulary from the characters of a corpus.
   *
   * @throws `ConfigError` on invalid `minFrequency` or `maxSize`.
   * @example
   * ```ts
   * const chars = CharTokenizer.fit(lines, { maxSize: 100 });
   * ```
   */
  static fit(corpus: Iterable<string>, options: CharTokenizerFitOptions = {}): CharTokenizer {
    const probe = new CharTokenizer(new Vocabulary([], options), options);
    const counts = new Map<string, number>();
    for (const text of corpus) for (const ch of probe.tokenize(text)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    return new CharTokenizer(Vocabulary.fromCounts(counts, options), options);
  }

  /**
   * Reads a tokenizer written by {@link CharTokenizer.toJSON}.
   *
   * @throws `FormatError` when `json` is not such an object.
   * @example
   * ```ts
   * const chars = CharTokenizer.fromJSON(JSON.parse(text));
   * ```
   */
  static fromJSON(json: unknown): CharTokenizer {
    const j = json as Partial<CharTokenizerJSON> | null;
    if (j === null || typeof j !== 'object' || j.type !== 'char' || j.version !== 1) {
      throw new FormatError(`CharTokenizer.fromJSON: json expected { type: 'char', version: 1, ... }, got ${describeJson(json)}`);
    }
    return new CharTokenizer(Vocabulary.fromJSON(j.vocabulary), { lowercase: j.lowercase === true });
  }

  /**
   * The characters of `text`.
   *
   * @example
   * ```ts
   * chars.tokenize('héllo'); // ['h', 'é', 'l', 'l', 'o']
   * ```
   */
  tokenize(text: string): string[] {
    return Array.from(this.lowercase ? text.toLowerCase() : text);
  }

  /**
   * The ids of the characters of `text` (unknown ones as id 1).
   *
   * @example
   * ```ts
   * chars.encode('hi', { addStart: true }); // Int32Array [2, …]
   * ```
   */
  encode(text: string, options: EncodeOptions = {}): Int32Array {
    const ids = this.tokenize(text).map((ch) => this.vocabulary.id(ch));
    return withMarkers(ids, options);
  }

  /**
   * The text of `ids`.
   *
   * @throws `ConfigError` when an id is not in the vocabulary.
   * @example
   * ```ts
   * chars.decode(chars.encode('hi')); // 'hi'
   * ```
   */
  decode(ids: ArrayLike<number> | Iterable<number>, options: DecodeOptions = {}): string {
    return this.vocabulary.decode(ids, options).join('');
  }

  /**
   * The tokenizer as a JSON-ready object.
   *
   * @example
   * ```ts
   * writeFileSync('chars.json', JSON.stringify(chars.toJSON()));
   * ```
   */
  toJSON(): CharTokenizerJSON {
    return { type: 'char', version: 1, lowercase: this.lowercase, vocabulary: this.vocabulary.toJSON() };
  }
}

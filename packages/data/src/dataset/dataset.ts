import { ConfigError, Rng, intInRange, rng } from '@tensorloom/core';
import { isPromise } from '../internal/cursor.js';
import type { Cursor, MaybePromise, Opener } from '../internal/cursor.js';
import { EpochIterator } from '../internal/iterator.js';
import { BatchCursor, UnbatchCursor } from '../internal/stages/batch.js';
import { CacheStore } from '../internal/stages/cache.js';
import { FilterCursor } from '../internal/stages/filter.js';
import { IgnoreErrorsCursor } from '../internal/stages/ignore-errors.js';
import { InterleaveCursor } from '../internal/stages/interleave.js';
import { ConcurrentMapCursor, SerialMapCursor } from '../internal/stages/map.js';
import { PrefetchCursor } from '../internal/stages/prefetch.js';
import { SequenceCursor } from '../internal/stages/sequence.js';
import { ShuffleCursor } from '../internal/stages/shuffle.js';
import { arrayCursor, cursorOfProduced, describe, iterableOpener } from '../internal/stages/sources.js';
import { SkipCursor, TakeCursor } from '../internal/stages/take-skip.js';
import { ZipCursor } from '../internal/stages/zip.js';
import { disposeAll } from '../internal/tree.js';
import type { Batched, Unbatched } from './batched.js';

/**
 * What `map` (and `filter`) pass to their function with each element.
 *
 * `rng` is `rng(seed).fold(epoch).fold(index)`: it depends only on the seed, the epoch and
 * the element's position, never on concurrency or timing, so a pipeline with random
 * augmentation gives the same elements on every run.
 *
 * @example
 * ```ts
 * ds.map((x, { index, epoch, rng }) => (rng.bernoulli(0.5) ? tf.reverse(x, 1) : x), { seed: 7 });
 * ```
 *
 * @group Pipelines
 */
export interface MapContext {
  /** Position of the element among those this stage received in the current epoch, from 0. */
  index: number;
  /** The epoch being iterated (see {@link Dataset.epochs}). */
  epoch: number;
  /** A generator for this element alone: `rng(seed).fold(epoch).fold(index)`. */
  rng: Rng;
}

/**
 * Options of {@link Dataset.from}.
 *
 * @example
 * ```ts
 * Dataset.from(function* () { for (let i = 0; i < 100; i++) yield i; }, { size: 100 });
 * ```
 *
 * @group Pipelines
 */
export interface DatasetFromOptions {
  /** The number of elements, when the source cannot tell (a generator). Default: known for arrays, sets and maps, else unknown (`null`). */
  size?: number;
}

/**
 * Options of {@link Dataset.map}.
 *
 * @example
 * ```ts
 * ds.map(async (path) => readImage(path), { concurrency: 8 });
 * ```
 *
 * @group Pipelines
 */
export interface MapOptions {
  /**
   * How many calls may be in flight at once (for asynchronous functions); results keep the
   * input order. Default 1.
   */
  concurrency?: number;
  /** Seed of {@link MapContext.rng}. Default: the stage's depth in the pipeline (0 for the source), so stages differ. */
  seed?: number;
}

/**
 * Options of {@link Dataset.filter}.
 *
 * @example
 * ```ts
 * ds.filter((_, { rng }) => rng.bernoulli(0.1), { seed: 3 }); // a 10% random subsample
 * ```
 *
 * @group Pipelines
 */
export interface FilterOptions {
  /** Seed of the {@link MapContext.rng} the predicate receives. Default: the stage's depth. */
  seed?: number;
}

/**
 * Options of {@link Dataset.batch}.
 *
 * Paths in the per-leaf forms are the dotted paths of a leaf in the element: `'ids'`,
 * `'pair.0'`, `'inputs.tokens'`.
 *
 * @example
 * ```ts
 * ds.batch(32, { dropRemainder: true, padValue: { ids: 0 }, padTo: { ids: 128 } });
 * ```
 *
 * @group Pipelines
 */
export interface BatchOptions {
  /** Drop a last batch smaller than `batchSize`. Default `false`. */
  dropRemainder?: boolean;
  /**
   * Pads leaves whose shapes differ within a batch (variable-length sequences) at the end of
   * each axis, with this value; one value for every leaf or one per leaf path. Default: no
   * padding (differing shapes are an error).
   */
  padValue?: number | Readonly<Record<string, number>>;
  /**
   * Pads axis 0 of sequence leaves (rank ≥ 1) to this length instead of the longest in the
   * batch; one length for every such leaf or one per leaf path. A longer element is an error
   * (truncate first). Pads with `padValue`, default 0.
   */
  padTo?: number | Readonly<Record<string, number>>;
  /** Dtype of the 1-D tensors made from number leaves. Default `'float32'`. */
  numberDtype?: 'float32' | 'int32';
}

/**
 * Options of {@link Dataset.shuffle}.
 *
 * @example
 * ```ts
 * ds.shuffle(10_000, { seed: 42 });
 * ```
 *
 * @group Pipelines
 */
export interface ShuffleOptions {
  /** The seed, or a generator to split a child from. */
  seed: number | Rng;
  /** Draw a new order every epoch (from the seed folded with the epoch). Default `true`. */
  reshuffleEachEpoch?: boolean;
}

/**
 * Options of {@link Dataset.interleave}.
 *
 * @example
 * ```ts
 * files.interleave((f) => readCsv(f), { cycleLength: 4, blockLength: 16 });
 * ```
 *
 * @group Pipelines
 */
export interface InterleaveOptions {
  /** How many inner datasets are read round-robin at once. Default 2. */
  cycleLength?: number;
  /** How many consecutive elements are taken from one before moving to the next. Default 1. */
  blockLength?: number;
}

/**
 * Options of {@link Dataset.ignoreErrors}.
 *
 * @example
 * ```ts
 * let skipped = 0;
 * ds.ignoreErrors({ onSkip: (error, count) => { skipped = count; console.warn(String(error)); } });
 * ```
 *
 * @group Pipelines
 */
export interface IgnoreErrorsOptions {
  /** Called after each skipped element with the error and the number skipped so far this epoch. */
  onSkip?: (error: unknown, skipped: number) => void;
  /** Which errors may be skipped; others still fail the epoch. Default: all. */
  when?: (error: unknown) => boolean;
  /** After this many skips in one epoch the next error fails the epoch. Default `Infinity`. */
  maxSkips?: number;
}

/**
 * Options of {@link Dataset.iterate}.
 *
 * @example
 * ```ts
 * for await (const batch of ds.iterate({ epoch: 3 })) train(batch);
 * ```
 *
 * @group Pipelines
 */
export interface IterateOptions {
  /**
   * The epoch to iterate (it seeds shuffles and {@link MapContext}). Default: the next one,
   * {@link Dataset.epochs}. The epoch counter continues from it.
   */
  epoch?: number;
}

/**
 * Options of {@link Dataset.forEachAsync}.
 *
 * @example
 * ```ts
 * await ds.forEachAsync((batch) => step(batch), { disposeElements: true });
 * ```
 *
 * @group Pipelines
 */
export interface ForEachOptions extends IterateOptions {
  /** Dispose each element's tensors after `body` has run on it. Default `false`. */
  disposeElements?: boolean;
}

/**
 * The element type of a dataset.
 *
 * @example
 * ```ts
 * type E = ElementOf<Dataset<{ x: tf.Tensor }>>; // { x: tf.Tensor }
 * ```
 *
 * @group Pipelines
 */
export type ElementOf<D> = D extends Dataset<infer E> ? E : never;

class ElementContext implements MapContext {
  private derived: Rng | null = null;

  constructor(
    readonly index: number,
    readonly epoch: number,
    private readonly base: Rng,
  ) {}

  get rng(): Rng {
    return (this.derived ??= this.base.fold(this.index));
  }
}

function contexts(seed: number, epoch: number): (index: number) => MapContext {
  const base = rng(seed).fold(epoch);
  return (index) => new ElementContext(index, epoch, base);
}

function checkCount(unit: string, arg: string, value: number, min: number): void {
  intInRange(`Dataset.${unit}`, arg, value, min);
}

function checkSeed(unit: string, seed: number | undefined): void {
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new ConfigError(`Dataset.${unit}: seed expected an integer, got ${seed}`);
  }
}

function sumSizes(sizes: readonly (number | null)[]): number | null {
  let total = 0;
  for (const s of sizes) {
    if (s === null) return null;
    total += s;
  }
  return total;
}

function minSize(sizes: readonly (number | null)[]): number | null {
  if (sizes.some((s) => s === 0)) return 0;
  if (sizes.some((s) => s === null)) return null;
  return Math.min(...(sizes as number[]));
}

/**
 * Upstream epoch of repetition `k` of epoch `epoch` (see {@link Dataset.repeat}). For an
 * endless repeat, 2²⁰ keeps epochs distinct for a million repetitions while staying below
 * 2³² (Rng.fold uses 32 bits of a key) for the first 4096 outer epochs.
 */
function repeatEpoch(epoch: number, k: number, count: number | null): number {
  return count === null ? epoch * 2 ** 20 + k : epoch * count + k;
}

/**
 * A lazy, re-iterable pipeline of elements: plain data, tensors, or arrays and objects of
 * them. Nothing runs until the dataset is iterated; each iteration is one epoch, and the
 * epoch index (which seeds shuffles and {@link MapContext.rng}) advances with every
 * iteration.
 *
 * Stages run synchronously while the source and every function in the chain are
 * synchronous (no promise per element); asynchronous sources and functions are awaited only
 * where they occur. Use {@link Dataset.prefetch} to overlap production with consumption and
 * `map(fn, { concurrency })` to run asynchronous work in parallel.
 *
 * **Tensor ownership.** A stage owns the tensors in the elements it receives:
 * - `map` disposes the tensors of its input element that do not appear in its output (so a
 *   function may return parts of its input, or the input itself, unchanged);
 * - `batch` stacks the elements into new tensors and disposes the element tensors;
 *   `unbatch` does the reverse;
 * - `filter` disposes the rejected elements; `skip` the skipped ones; `take` closes its
 *   upstream when done, and every stage that holds elements (`shuffle`'s buffer, `prefetch`,
 *   a partial batch) disposes them when its epoch is closed early (`break` in `for await`);
 * - `cache` keeps its own clones until {@link Dataset.dispose};
 * - an array source is owned by the caller: it hands out clones of its tensors (clones
 *   share the data, so this costs no copy) and the array stays valid. Elements yielded by
 *   iterables and generators belong to the pipeline;
 * - the final consumer owns what it receives and disposes it (or passes
 *   `{ disposeElements: true }` to {@link Dataset.forEachAsync}).
 *
 * **Sizes.** {@link Dataset.size} is the exact element count when it is known (`Infinity`
 * for an endless `repeat()`), else `null`: `map`, `shuffle`, `prefetch` and `cache` keep
 * it, `batch`, `take`, `skip`, `zip`, `concat` and `repeat` compute it, `filter`,
 * `unbatch`, `interleave` and `ignoreErrors` lose it.
 *
 * @example
 * ```ts
 * import { Dataset } from '@tensorloom/data';
 * const batches = Dataset.from(samples)                  // { image: Tensor3D, label: number }[]
 *   .shuffle(1024, { seed: 1 })
 *   .map(({ image, label }) => ({ image: tf.div(image, 255), label }))
 *   .batch(64, { numberDtype: 'int32' })                // { image: Tensor4D, label: Tensor1D }
 *   .prefetch(2);
 * for await (const { image, label } of batches) { train(image, label); tf.dispose([image, label]); }
 * ```
 *
 * @group Pipelines
 */
export class Dataset<T> {
  /** The number of elements of one epoch: exact when known (`Infinity` for endless), else `null`. */
  readonly size: number | null;
  readonly #open: Opener<T>;
  readonly #parents: readonly Dataset<unknown>[];
  readonly #release: (() => void) | null;
  readonly #depth: number;
  #epochs = 0;

  private constructor(
    open: Opener<T>,
    size: number | null,
    parents: readonly Dataset<unknown>[],
    release: (() => void) | null = null,
  ) {
    this.#open = open;
    this.size = size;
    this.#parents = parents;
    this.#release = release;
    this.#depth = parents.length === 0 ? 0 : Math.max(...parents.map((p) => p.#depth)) + 1;
  }

  /**
   * A dataset over an array (elements stay owned by the array: tensors are handed out as
   * clones), an iterable or async iterable (a one-shot iterator can be iterated once), or a
   * function returning one (a generator function: called once per epoch).
   *
   * @param source - the elements, or a function producing them for each epoch.
   * @param options - the size, when the source cannot tell.
   * @throws `ConfigError` when the source is none of these.
   * @example
   * ```ts
   * Dataset.from([1, 2, 3]);
   * Dataset.from(async function* () { for (const f of files) yield await readFile(f); });
   * ```
   */
  static from<T>(
    source:
      | readonly T[]
      | Iterable<T>
      | AsyncIterable<T>
      | (() => Iterable<T> | AsyncIterable<T> | Iterator<T> | AsyncIterator<T>),
    options: DatasetFromOptions = {},
  ): Dataset<T> {
    const declared = options.size;
    if (declared !== undefined && declared !== Infinity) checkCount('from', 'size', declared, 0);
    if (Array.isArray(source) || (ArrayBuffer.isView(source) && !(source instanceof DataView))) {
      const items = source as unknown as ArrayLike<T>;
      return new Dataset(() => arrayCursor(items), declared ?? items.length, []);
    }
    if (typeof source === 'function') {
      const make = source as () => unknown;
      return new Dataset(() => cursorOfProduced<T>(make(), 'Dataset.from'), declared ?? null, []);
    }
    if (
      source !== null &&
      typeof source === 'object' &&
      (Symbol.iterator in source || Symbol.asyncIterator in source)
    ) {
      const open = iterableOpener(source as Iterable<T> | AsyncIterable<T>, 'Dataset.from');
      const known = source instanceof Set || source instanceof Map ? source.size : null;
      return new Dataset(() => open(), declared ?? known, []);
    }
    throw new ConfigError(
      `Dataset.from: source expected an array, iterable, async iterable or generator function, got ${describe(source)}`,
    );
  }

  /**
   * The integers `start, start + step, …` below `end` (or `0 … start-1` with one argument).
   *
   * @throws `ConfigError` when `step` is 0 or a bound is not finite.
   * @example
   * ```ts
   * await Dataset.range(3).toArray();        // [0, 1, 2]
   * await Dataset.range(1, 10, 4).toArray(); // [1, 5, 9]
   * ```
   */
  static range(start: number, end?: number, step = 1): Dataset<number> {
    const [from, to] = end === undefined ? [0, start] : [start, end];
    if (!Number.isFinite(from) || !Number.isFinite(to)) {
      throw new ConfigError(`Dataset.range: bounds expected finite numbers, got ${from} and ${to}`);
    }
    if (step === 0 || !Number.isFinite(step)) {
      throw new ConfigError(`Dataset.range: step expected a non-zero finite number, got ${step}`);
    }
    const count = Math.max(0, Math.ceil((to - from) / step));
    return new Dataset<number>(
      () => {
        let i = 0;
        return {
          next: () => (i < count ? { done: false, value: from + step * i++ } : { done: true, value: undefined }),
          close: () => {
            i = count;
          },
        };
      },
      count,
      [],
    );
  }

  /**
   * Combines datasets element by element into tuples (from an array) or objects (from a
   * record); ends with the shortest.
   *
   * @example
   * ```ts
   * const pairs = Dataset.zip([images, labels]);        // Dataset<[Tensor, number]>
   * const named = Dataset.zip({ x: images, y: labels }); // Dataset<{ x: Tensor; y: number }>
   * ```
   */
  static zip<const D extends readonly Dataset<unknown>[]>(
    datasets: D,
  ): Dataset<{ -readonly [K in keyof D]: ElementOf<D[K]> }>;
  static zip<D extends Readonly<Record<string, Dataset<unknown>>>>(datasets: D): Dataset<{ [K in keyof D]: ElementOf<D[K]> }>;
  static zip(datasets: readonly Dataset<unknown>[] | Readonly<Record<string, Dataset<unknown>>>): Dataset<unknown> {
    if (Array.isArray(datasets)) {
      const list = datasets as readonly Dataset<unknown>[];
      checkDatasets('zip', list);
      return new Dataset(
        (epoch) => new ZipCursor(list.map((d) => d.#open(epoch)), (values) => values),
        minSize(list.map((d) => d.size)),
        list,
      );
    }
    const record = datasets as Readonly<Record<string, Dataset<unknown>>>;
    const keys = Object.keys(record);
    const list = keys.map((k) => record[k]!);
    checkDatasets('zip', list);
    return new Dataset(
      (epoch) =>
        new ZipCursor(
          list.map((d) => d.#open(epoch)),
          (values) => Object.fromEntries(keys.map((k, i) => [k, values[i]])),
        ),
      minSize(list.map((d) => d.size)),
      list,
    );
  }

  /**
   * How many epochs have been started; the next iteration is epoch `epochs` (from 0).
   *
   * @example
   * ```ts
   * await ds.toArray(); ds.epochs; // 1
   * ```
   */
  get epochs(): number {
    return this.#epochs;
  }

  /**
   * Applies `fn` to every element. `fn` may be asynchronous; with `concurrency > 1` several
   * calls run at once and the results keep the input order. Tensors of the input element
   * that are not in the output are disposed.
   *
   * Augmentation transforms plug in directly: `ds.map(augment.randomFlip({ horizontal: true }))`.
   *
   * @param fn - `(element, { index, epoch, rng }) => output` (or a promise of it).
   * @throws `ConfigError` when `concurrency` is not a positive integer or `seed` not an integer.
   * @example
   * ```ts
   * const scaled = ds.map((x) => tf.div(x, 255));
   * const noisy = ds.map((x, { rng }) => tf.add(x, rng.normalTensor(x.shape, 0, 0.1)), { seed: 1 });
   * const images = paths.map((p) => readImage(p), { concurrency: 8 });
   * ```
   */
  map<U>(fn: (element: T, context: MapContext) => U | Promise<U>, options: MapOptions = {}): Dataset<U> {
    const concurrency = options.concurrency ?? 1;
    checkCount('map', 'concurrency', concurrency, 1);
    checkSeed('map', options.seed);
    const seed = options.seed ?? this.#depth + 1;
    return this.#derive<U>(
      (epoch) => {
        const up = this.#open(epoch);
        const ctx = contexts(seed, epoch);
        return concurrency === 1
          ? new SerialMapCursor(up, fn, ctx)
          : new ConcurrentMapCursor(up, fn, ctx, concurrency);
      },
      this.size,
    );
  }

  /**
   * Keeps the elements for which `predicate` holds; rejected elements' tensors are disposed.
   *
   * @param predicate - `(element, { index, epoch, rng }) => boolean` (or a promise of it).
   * @example
   * ```ts
   * const evens = Dataset.range(10).filter((x) => x % 2 === 0);
   * ```
   */
  filter<S extends T>(predicate: (element: T, context: MapContext) => element is S, options?: FilterOptions): Dataset<S>;
  filter(predicate: (element: T, context: MapContext) => boolean | Promise<boolean>, options?: FilterOptions): Dataset<T>;
  filter(predicate: (element: T, context: MapContext) => boolean | Promise<boolean>, options: FilterOptions = {}): Dataset<T> {
    checkSeed('filter', options.seed);
    const seed = options.seed ?? this.#depth + 1;
    return this.#derive<T>((epoch) => new FilterCursor(this.#open(epoch), predicate, contexts(seed, epoch)), null);
  }

  /**
   * Groups consecutive elements into batches: tensors are stacked along a new axis 0,
   * numbers and booleans become 1-D tensors, typed arrays 2-D tensors, strings stay arrays,
   * and arrays and objects keep their structure (see {@link Batched}). Element tensors are
   * disposed once stacked. Leaves whose shapes differ are padded when `padValue` or `padTo`
   * is given, else they are an error.
   *
   * @param batchSize - elements per batch.
   * @throws `ConfigError` when `batchSize` or `padTo` is not a positive integer; when a batch
   *   is assembled, `ShapeError` or `DTypeError` naming the element and leaf that differ.
   * @example
   * ```ts
   * ds.batch(64);                                        // { image: Tensor4D, label: Tensor1D }
   * text.batch(16, { padValue: 0, padTo: 128 });         // Int32Array ids -> [16, 128] int32
   * ```
   */
  batch(batchSize: number, options: BatchOptions = {}): Dataset<Batched<T>> {
    checkCount('batch', 'batchSize', batchSize, 1);
    const padTo = options.padTo;
    if (padTo !== undefined) {
      const values = typeof padTo === 'number' ? [padTo] : Object.values(padTo);
      for (const v of values) checkCount('batch', 'padTo', v, 1);
    }
    const padValue = options.padValue;
    if (padValue !== undefined) {
      const values = typeof padValue === 'number' ? [padValue] : Object.values(padValue);
      for (const v of values) {
        if (typeof v !== 'number' || Number.isNaN(v)) {
          throw new ConfigError(`Dataset.batch: padValue expected a number, got ${String(v)}`);
        }
      }
    }
    const numberDtype = options.numberDtype ?? 'float32';
    if (numberDtype !== 'float32' && numberDtype !== 'int32') {
      throw new ConfigError(`Dataset.batch: numberDtype expected 'float32' or 'int32', got '${String(numberDtype)}'`);
    }
    const dropRemainder = options.dropRemainder ?? false;
    const size =
      this.size === null
        ? null
        : this.size === Infinity
          ? Infinity
          : dropRemainder
            ? Math.floor(this.size / batchSize)
            : Math.ceil(this.size / batchSize);
    return this.#derive<Batched<T>>(
      (epoch) =>
        new BatchCursor(this.#open(epoch), batchSize, dropRemainder, { padValue, padTo, numberDtype }) as Cursor<
          Batched<T>
        >,
      size,
    );
  }

  /**
   * Splits batches back into elements (the inverse of {@link Dataset.batch}): tensors are
   * unstacked along axis 0, arrays of plain values give one value each. The batch's tensors
   * are disposed.
   *
   * @throws `ShapeError`, when a batch arrives, if its leaves disagree on the batch size or a
   *   leaf has no batch axis.
   * @example
   * ```ts
   * const rows = Dataset.from([tf.zeros([4, 3])]).unbatch(); // four [3] tensors
   * ```
   */
  unbatch(): Dataset<Unbatched<T>> {
    return this.#derive<Unbatched<T>>(
      (epoch) => new UnbatchCursor(this.#open(epoch) as Cursor<unknown>) as Cursor<Unbatched<T>>,
      null,
    );
  }

  /**
   * Shuffles with a buffer of `bufferSize` elements: each element out is drawn uniformly
   * from the buffer, which refills from upstream. A buffer at least the dataset's size gives
   * a uniform permutation; a smaller one mixes locally. The order changes every epoch
   * unless `reshuffleEachEpoch` is `false`.
   *
   * @throws `ConfigError` when `bufferSize` is not a positive integer.
   * @example
   * ```ts
   * ds.shuffle(ds.size ?? 10_000, { seed: 1 });
   * ```
   */
  shuffle(bufferSize: number, options: ShuffleOptions): Dataset<T> {
    checkCount('shuffle', 'bufferSize', bufferSize, 1);
    const seed = options.seed;
    if (!(seed instanceof Rng)) checkSeed('shuffle', seed);
    const base = seed instanceof Rng ? seed.split() : rng(seed);
    const reshuffle = options.reshuffleEachEpoch ?? true;
    return this.#derive<T>(
      (epoch) => new ShuffleCursor(this.#open(epoch), bufferSize, base.fold(reshuffle ? epoch : 0)),
      this.size,
    );
  }

  /**
   * Repeats the dataset `count` times (forever without `count`). Each repetition is a new
   * upstream epoch: repetition `k` of epoch `e` is upstream epoch `e·count + k` (for an
   * endless repeat, `e·2²⁰ + k`), so shuffles and augmentations differ between
   * repetitions. An endless repeat of an empty dataset ends instead of spinning.
   *
   * @throws `ConfigError` when `count` is not a non-negative integer.
   * @example
   * ```ts
   * ds.repeat(3); ds.repeat().take(10_000);
   * ```
   */
  repeat(count?: number): Dataset<T> {
    if (count !== undefined) checkCount('repeat', 'count', count, 0);
    const times = count ?? null;
    const size =
      this.size === null ? null : this.size === 0 || times === 0 ? 0 : times === null ? Infinity : this.size * times;
    return this.#derive<T>(
      (epoch) =>
        new SequenceCursor(
          (k) => (times !== null && k >= times ? null : this.#open(repeatEpoch(epoch, k, times))),
          true,
        ),
      size,
    );
  }

  /**
   * The first `count` elements; the upstream is closed (its buffers released) as soon as
   * they have been delivered.
   *
   * @throws `ConfigError` when `count` is not a non-negative integer.
   * @example
   * ```ts
   * const preview = await ds.take(5).toArray();
   * ```
   */
  take(count: number): Dataset<T> {
    checkCount('take', 'count', count, 0);
    return this.#derive<T>(
      (epoch) => new TakeCursor(this.#open(epoch), count),
      this.size === null ? (count === 0 ? 0 : null) : Math.min(this.size, count),
    );
  }

  /**
   * All but the first `count` elements (the skipped ones are disposed).
   *
   * @throws `ConfigError` when `count` is not a non-negative integer.
   * @example
   * ```ts
   * const validation = ds.take(1000); const train = ds.skip(1000);
   * ```
   */
  skip(count: number): Dataset<T> {
    checkCount('skip', 'count', count, 0);
    return this.#derive<T>(
      (epoch) => new SkipCursor(this.#open(epoch), count),
      this.size === null ? null : Math.max(0, this.size - count),
    );
  }

  /**
   * Pairs this dataset's elements with another's; ends with the shorter.
   *
   * @example
   * ```ts
   * const pairs = images.zip(labels); // Dataset<[Tensor, number]>
   * ```
   */
  zip<U>(other: Dataset<U>): Dataset<[T, U]> {
    return Dataset.zip([this, other] as const) as Dataset<[T, U]>;
  }

  /**
   * This dataset's elements followed by `other`'s.
   *
   * @example
   * ```ts
   * const all = train.concat(extra);
   * ```
   */
  concat<U>(other: Dataset<U>): Dataset<T | U> {
    checkDatasets('concat', [other]);
    const parts: readonly Dataset<T | U>[] = [this, other];
    return new Dataset<T | U>(
      (epoch) => new SequenceCursor((k) => (k < parts.length ? parts[k]!.#open(epoch) : null), false),
      sumSizes([this.size, other.size]),
      [this, other],
    );
  }

  /**
   * Keeps the elements of the first complete epoch in memory and replays them afterwards
   * (upstream work, such as decoding files, runs once). The cache holds clones of the
   * tensors until {@link Dataset.dispose}; an epoch cut short does not fill it.
   *
   * @example
   * ```ts
   * const decoded = files.map(decode).cache();
   * const train = decoded.shuffle(1000, { seed: 1 }).batch(32); // decodes only in epoch 0
   * ```
   */
  cache(): Dataset<T> {
    const store = new CacheStore<T>();
    return new Dataset<T>((epoch) => store.open(() => this.#open(epoch)), this.size, [this], () => store.clear());
  }

  /**
   * Produces up to `bufferSize` elements ahead of the consumer, so an asynchronous upstream
   * (file reads, decoding with `map(fn, { concurrency })`) works while the consumer (a
   * training step) runs.
   *
   * @throws `ConfigError` when `bufferSize` is not a positive integer.
   * @example
   * ```ts
   * const batches = images.batch(64).prefetch(2);
   * ```
   */
  prefetch(bufferSize = 1): Dataset<T> {
    checkCount('prefetch', 'bufferSize', bufferSize, 1);
    return this.#derive<T>((epoch) => new PrefetchCursor(this.#open(epoch), bufferSize), this.size);
  }

  /**
   * Maps each element to a dataset (or iterable) and reads `cycleLength` of them at once,
   * round-robin, `blockLength` elements at a time: the way to mix many files or shards.
   * An element's tensors are disposed when its inner dataset is exhausted.
   *
   * @param fn - `(element, { index, epoch, rng }) => Dataset | Iterable | AsyncIterable`.
   * @throws `ConfigError` when `cycleLength` or `blockLength` is not a positive integer.
   * @example
   * ```ts
   * const rows = Dataset.from(csvFiles).interleave((f) => readCsv(f), { cycleLength: 4 });
   * ```
   */
  interleave<U>(
    fn: (element: T, context: MapContext) => Dataset<U> | Iterable<U> | AsyncIterable<U>,
    options: InterleaveOptions = {},
  ): Dataset<U> {
    const cycleLength = options.cycleLength ?? 2;
    const blockLength = options.blockLength ?? 1;
    checkCount('interleave', 'cycleLength', cycleLength, 1);
    checkCount('interleave', 'blockLength', blockLength, 1);
    const seed = this.#depth + 1;
    return this.#derive<U>((epoch) => {
      const ctx = contexts(seed, epoch);
      const open = (element: T, index: number): Cursor<U> => {
        const inner = fn(element, ctx(index));
        return inner instanceof Dataset ? inner.#open(epoch) : cursorOfProduced<U>(inner, 'Dataset.interleave');
      };
      return new InterleaveCursor(this.#open(epoch), open, cycleLength, blockLength);
    }, null);
  }

  /**
   * Skips elements whose production failed upstream — a `map` that threw (a corrupt file),
   * a malformed CSV row — and goes on with the next, reporting each skip to `onSkip`.
   *
   * @throws `ConfigError` when `maxSkips` is negative.
   * @example
   * ```ts
   * let bad = 0;
   * const images = paths.map(readImage).ignoreErrors({ onSkip: (_, n) => (bad = n) });
   * ```
   */
  ignoreErrors(options: IgnoreErrorsOptions = {}): Dataset<T> {
    const maxSkips = options.maxSkips ?? Infinity;
    if (maxSkips !== Infinity) checkCount('ignoreErrors', 'maxSkips', maxSkips, 0);
    const when = options.when ?? (() => true);
    return this.#derive<T>(
      (epoch) => new IgnoreErrorsCursor(this.#open(epoch), when, options.onSkip, maxSkips),
      null,
    );
  }

  /**
   * Iterates one epoch: the epoch given, or the next one. Closing the iterator early
   * (`break`) releases every buffered element.
   *
   * @example
   * ```ts
   * for await (const x of ds.iterate({ epoch: 0 })) console.log(x);
   * ```
   */
  iterate(options: IterateOptions = {}): AsyncIterableIterator<T> {
    const epoch = this.#nextEpoch(options.epoch);
    return new EpochIterator(() => this.#open(epoch));
  }

  /**
   * Iterates the next epoch: `for await (const x of ds)`.
   *
   * @example
   * ```ts
   * for await (const batch of batches) { step(batch); tf.dispose(batch); }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this.iterate();
  }

  /**
   * Runs `body` on every element of one epoch, in order, awaiting it when it returns a
   * promise. A synchronous pipeline with a synchronous body runs without a promise per
   * element.
   *
   * @returns the number of elements.
   * @example
   * ```ts
   * const n = await batches.forEachAsync(async (b) => { await step(b); }, { disposeElements: true });
   * ```
   */
  async forEachAsync(body: (element: T, index: number) => unknown, options: ForEachOptions = {}): Promise<number> {
    const epoch = this.#nextEpoch(options.epoch);
    const dispose = options.disposeElements ?? false;
    const cursor = this.#open(epoch);
    let index = 0;
    try {
      for (;;) {
        let r = cursor.next();
        if (isPromise(r)) r = await r;
        if (r.done) break;
        try {
          const out = body(r.value, index);
          if (isPromise(out as MaybePromise<unknown>)) await out;
        } finally {
          if (dispose) disposeAll(r.value);
        }
        index++;
      }
    } finally {
      const closing = cursor.close();
      if (isPromise(closing)) await closing;
    }
    return index;
  }

  /**
   * Collects one epoch into an array (the caller owns the elements' tensors).
   *
   * @example
   * ```ts
   * await Dataset.range(3).map((x) => x * 2).toArray(); // [0, 2, 4]
   * ```
   */
  async toArray(options: IterateOptions = {}): Promise<T[]> {
    const out: T[] = [];
    try {
      await this.forEachAsync((x) => void out.push(x), options);
    } catch (error) {
      disposeAll(out);
      throw error;
    }
    return out;
  }

  /**
   * Releases what this pipeline holds: the tensors kept by every {@link Dataset.cache} stage
   * in it (in this dataset and upstream). The dataset stays usable; a cache refills on its
   * next epoch.
   *
   * @example
   * ```ts
   * const cached = ds.cache(); await cached.toArray(); cached.dispose();
   * ```
   */
  dispose(): void {
    const seen = new Set<Dataset<unknown>>();
    const visit = (d: Dataset<unknown>): void => {
      if (seen.has(d)) return;
      seen.add(d);
      d.#release?.();
      for (const p of d.#parents) visit(p);
    };
    visit(this as Dataset<unknown>);
  }

  #derive<U>(open: Opener<U>, size: number | null): Dataset<U> {
    return new Dataset<U>(open, size, [this]);
  }

  #nextEpoch(epoch: number | undefined): number {
    if (epoch === undefined) return this.#epochs++;
    checkCount('iterate', 'epoch', epoch, 0);
    this.#epochs = epoch + 1;
    return epoch;
  }
}

function checkDatasets(unit: string, list: readonly unknown[]): void {
  list.forEach((d, i) => {
    if (!(d instanceof Dataset)) {
      throw new ConfigError(`Dataset.${unit}: dataset ${i} expected a Dataset, got ${describe(d)}`);
    }
  });
}

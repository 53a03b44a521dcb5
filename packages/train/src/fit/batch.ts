import { DTypeError, ShapeError, ConfigError, formatShape, tf } from '@tensorloom/core';
import type { TensorTree } from '@tensorloom/layers';
import type { Rng } from '@tensorloom/core';

/**
 * One batch as {@link fit} and {@link evaluate} take it: an object `{ x, y, sampleWeight? }`
 * (also `{ xs, ys }`), or a tuple `[x, y]` / `[x, y, sampleWeight]`. `x` may be a tensor, a
 * list or a record of tensors (multi-input models); `y` a tensor or a record.
 *
 * @example
 * ```ts
 * const a: BatchLike = { x: images, y: labels };
 * const b: BatchLike = [images, labels, weights];
 * const c: BatchLike = { x: { ids, mask }, y: labels };
 * ```
 */
export type BatchLike = BatchObject | BatchTuple;

/**
 * A batch as an object: `{ x, y, sampleWeight? }`, or tfjs's `{ xs, ys }`.
 *
 * @example
 * ```ts
 * const b: BatchObject = { x: images, y: labels, sampleWeight: weights };
 * ```
 */
export interface BatchObject {
  /** The model input: a tensor, a list or a record of tensors. */
  x?: TensorTree;
  /** The targets. */
  y?: TensorTree;
  /** tfjs-style name of `x`. */
  xs?: TensorTree;
  /** tfjs-style name of `y`. */
  ys?: TensorTree;
  /** Per-sample weights `[batch]`. */
  sampleWeight?: tf.Tensor;
}

/**
 * A batch as a tuple `[x]`, `[x, y]` or `[x, y, sampleWeight]`.
 *
 * @example
 * ```ts
 * const b: BatchTuple = [images, labels];
 * ```
 */
export type BatchTuple = readonly [TensorTree, TensorTree?, tf.Tensor?];

/**
 * What a training or evaluation function receives per batch once {@link BatchLike} is read.
 *
 * @example
 * ```ts
 * const loss = (b: Batch) => mse(b.y as tf.Tensor, model.apply(b.x, { training: true }));
 * ```
 */
export interface Batch {
  /** The model input. */
  x: TensorTree;
  /** The targets, or `null` (prediction, or a step that needs none). */
  y: TensorTree | null;
  /** Per-sample weights `[batch]`, or `null`. */
  sampleWeight: tf.Tensor | null;
  /** The number of samples (axis 0 of the first input). */
  size: number;
}

/**
 * Where the batches of one epoch come from, as {@link DataSource} describes them.
 *
 * @example
 * ```ts
 * const ctx: EpochContext = { epoch: 0, rng: rng(1) };
 * ```
 */
export interface EpochContext {
  /** The 0-based epoch. */
  epoch: number;
  /** A generator for this epoch only: fit's seed folded with `'data'` and the epoch. */
  rng: Rng;
}

/**
 * The data {@link fit} trains on: any re-iterable `Iterable` or `AsyncIterable` of
 * batches (an array of batches, a `@tensorloom/data` `Dataset`, a generator object is
 * iterated once), or a function of the epoch returning one — the way to shuffle with fit's
 * seed so a resumed run sees the same order. An object with `iterate({ epoch })` (a
 * `Dataset`) is iterated for the right epoch, so its shuffles and augmentation repeat on
 * resume.
 *
 * Ownership: tensors of batches from an array belong to the caller (fit never disposes
 * them); batches from any other source belong to fit, which disposes them after use.
 *
 * @example
 * ```ts
 * const data: DataSource = ({ rng }) => rng.shuffle([...batches]);
 * ```
 */
export type DataSource =
  | Iterable<BatchLike>
  | AsyncIterable<BatchLike>
  | ((ctx: EpochContext) => Iterable<BatchLike> | AsyncIterable<BatchLike>);

interface IterateLike {
  iterate(options: { epoch: number }): AsyncIterable<BatchLike> | Iterable<BatchLike>;
}

/** @internal Opens one epoch of a data source; `owned` says whether fit disposes the batches. */
export function openEpoch(
  unit: string,
  option: string,
  data: DataSource,
  ctx: EpochContext,
): { iterable: Iterable<BatchLike> | AsyncIterable<BatchLike>; owned: boolean } {
  if (typeof data === 'function') {
    const produced = data(ctx);
    checkIterable(unit, option, produced);
    return { iterable: produced, owned: !Array.isArray(produced) };
  }
  checkIterable(unit, option, data);
  const it = data as unknown as Partial<IterateLike>;
  if (typeof it.iterate === 'function') return { iterable: it.iterate({ epoch: ctx.epoch }), owned: true };
  return { iterable: data, owned: !Array.isArray(data) };
}

/** @internal */
export function checkIterable(unit: string, option: string, data: unknown): void {
  const ok =
    data !== null &&
    data !== undefined &&
    (typeof (data as Iterable<unknown>)[Symbol.iterator] === 'function' ||
      typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function');
  if (!ok) {
    throw new ConfigError(`${unit}: ${option} expected an Iterable or AsyncIterable of batches (or a function of the epoch returning one), got ${describe(data)}`);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v instanceof tf.Tensor) return `a tensor of shape ${formatShape(v.shape)}`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

function isTree(v: unknown): v is TensorTree {
  if (v instanceof tf.Tensor) return true;
  if (Array.isArray(v)) return v.length > 0 && v.every((t) => t instanceof tf.Tensor);
  if (v !== null && typeof v === 'object') {
    const values = Object.values(v);
    return values.length > 0 && values.every((t) => t instanceof tf.Tensor);
  }
  return false;
}

/** @internal The first tensor of a tree. */
export function firstTensor(tree: TensorTree): tf.Tensor {
  if (tree instanceof tf.Tensor) return tree;
  if (Array.isArray(tree)) return tree[0] as tf.Tensor;
  return Object.values(tree)[0] as tf.Tensor;
}

/** @internal The tensors of a tree with their labels (`x`, `x[1]`, `x.ids`). */
export function leaves(name: string, tree: TensorTree): [string, tf.Tensor][] {
  if (tree instanceof tf.Tensor) return [[name, tree]];
  if (Array.isArray(tree)) return tree.map((t, i) => [`${name}[${i}]`, t as tf.Tensor]);
  return Object.entries(tree).map(([k, t]) => [`${name}.${k}`, t as tf.Tensor]);
}

/**
 * @internal Reads one batch, checking its structure and that every tensor has the same batch
 * size; names the batch (`fit: batch 3`) in errors.
 */
export function readBatch(unit: string, index: number, raw: unknown, needY: boolean): Batch {
  const where = `${unit}: batch ${index}`;
  let x: unknown;
  let y: unknown;
  let sw: unknown;
  if (Array.isArray(raw)) {
    [x, y, sw] = raw;
  } else if (raw !== null && typeof raw === 'object' && !(raw instanceof tf.Tensor)) {
    const r = raw as Record<string, unknown>;
    x = r['x'] ?? r['xs'];
    y = r['y'] ?? r['ys'];
    sw = r['sampleWeight'];
  } else {
    throw new ConfigError(`${where} expected { x, y } or [x, y], got ${describe(raw)}`);
  }
  if (!isTree(x)) throw new ConfigError(`${where}: x expected a tensor, a list or a record of tensors, got ${describe(x)}`);
  if (y !== undefined && y !== null && !isTree(y)) {
    throw new ConfigError(`${where}: y expected a tensor or a record of tensors, got ${describe(y)}`);
  }
  if (needY && (y === undefined || y === null)) {
    throw new ConfigError(`${where}: y expected targets for the loss, got none`, { help: 'yield { x, y } or [x, y]' });
  }
  if (sw !== undefined && sw !== null && !(sw instanceof tf.Tensor)) {
    throw new ConfigError(`${where}: sampleWeight expected a tensor of shape [batch], got ${describe(sw)}`);
  }
  const all = [...leaves('x', x), ...(y === undefined || y === null ? [] : leaves('y', y as TensorTree))];
  if (sw instanceof tf.Tensor) all.push(['sampleWeight', sw]);
  const size = firstTensor(x).shape[0];
  if (size === undefined) throw new ShapeError(`${where}: x expected a batch axis, got a scalar`);
  for (const [name, t] of all) {
    if (t.isDisposed) throw new ConfigError(`${where}: ${name} expected a live tensor, got a disposed one`, { help: 'an array source is reused every epoch: do not dispose its tensors' });
    if (t.shape[0] !== size) {
      throw new ShapeError(`${where}: ${name} expected batch size ${size} (axis 0 of x), got shape ${formatShape(t.shape)}`);
    }
    if (t.dtype === 'string') throw new DTypeError(`${where}: ${name} expected a numeric tensor, got dtype string`);
  }
  if (sw instanceof tf.Tensor && sw.rank !== 1) {
    throw new ShapeError(`${where}: sampleWeight expected shape [${size}], got ${formatShape(sw.shape)}`);
  }
  return { x: x as TensorTree, y: (y ?? null) as TensorTree | null, sampleWeight: (sw ?? null) as tf.Tensor | null, size };
}

/**
 * How strictly later batches must match the first one: `'fixed'`, the same per-sample shape
 * (every axis but the batch axis) and dtype; `'varying'`, the same rank and dtype with any
 * sizes, for length-bucketed sequences or images of several sizes.
 *
 * @example
 * ```ts
 * const shapes: BatchShapes = 'varying'; // fit(model, buckets, { ..., batchShapes: shapes })
 * ```
 */
export type BatchShapes = 'fixed' | 'varying';

/** @internal Remembers the first batch's per-sample shapes and dtypes and checks later batches against them. */
export class BatchSignature {
  private readonly expected = new Map<string, { shape: number[]; dtype: string }>();

  constructor(
    private readonly unit: string,
    private readonly mode: BatchShapes = 'fixed',
  ) {}

  check(index: number, batch: Batch): void {
    const all = [...leaves('x', batch.x), ...(batch.y === null ? [] : leaves('y', batch.y))];
    for (const [name, t] of all) {
      const want = this.expected.get(name);
      const shape = t.shape.slice(1);
      if (want === undefined) {
        this.expected.set(name, { shape, dtype: t.dtype });
        continue;
      }
      if (this.mode === 'varying') {
        if (want.shape.length !== shape.length) {
          throw new ShapeError(
            `${this.unit}: batch ${index}: ${name} expected rank ${want.shape.length + 1} like the first batch (batchShapes 'varying' lets only sizes change), got shape ${formatShape(t.shape)}`,
          );
        }
      } else if (want.shape.length !== shape.length || want.shape.some((d, i) => d !== shape[i])) {
        throw new ShapeError(
          `${this.unit}: batch ${index}: ${name} expected shape ${formatShape([null, ...want.shape])} like the first batch, got ${formatShape(t.shape)}`,
          { help: "batches whose sizes differ on purpose (length buckets) need fit's option batchShapes: 'varying'" },
        );
      }
      if (want.dtype !== t.dtype) {
        throw new DTypeError(`${this.unit}: batch ${index}: ${name} expected dtype ${want.dtype} like the first batch, got ${t.dtype}`);
      }
    }
  }
}

/** @internal Disposes the tensors of a raw batch. */
export function disposeBatch(raw: unknown): void {
  const seen = new Set<tf.Tensor>();
  const visit = (v: unknown): void => {
    if (v instanceof tf.Tensor) {
      if (!v.isDisposed && !seen.has(v)) {
        seen.add(v);
        v.dispose();
      }
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v !== null && typeof v === 'object') {
      Object.values(v).forEach(visit);
    }
  };
  visit(raw);
}

import { ConfigError, DTypeError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { disposeAll } from './tree.js';

/** How `batch` treats leaves; resolved from `BatchOptions`. */
export interface CollateOptions {
  /** Pad value: one for every leaf, or per leaf path; `undefined` = no padding unless `padTo`. */
  padValue: number | Readonly<Record<string, number>> | undefined;
  /** Length of axis 0 to pad every sequence leaf to, or per leaf path. */
  padTo: number | Readonly<Record<string, number>> | undefined;
  /** Dtype of the 1-D tensor built from number leaves. */
  numberDtype: 'float32' | 'int32';
}

const UNIT = 'Dataset.batch';

type Leaf = 'tensor' | 'number' | 'boolean' | 'string' | 'typed' | 'array' | 'object' | 'other';

function kindOf(v: unknown): Leaf {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (v === null || typeof v !== 'object') return 'other';
  if (v instanceof tf.Tensor) return 'tensor';
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return 'typed';
  if (Array.isArray(v)) return 'array';
  if (Object.getPrototypeOf(v) === Object.prototype) return 'object';
  return 'other';
}

const KIND_NAMES: Record<Leaf, string> = {
  tensor: 'a tensor',
  number: 'a number',
  boolean: 'a boolean',
  string: 'a string',
  typed: 'a typed array',
  array: 'an array',
  object: 'an object',
  other: 'a value',
};

function where(index: number, path: string): string {
  return path === '' ? `element ${index}` : `element ${index} at '${path}'`;
}

function child(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

function optionFor(option: number | Readonly<Record<string, number>> | undefined, path: string): number | undefined {
  if (option === undefined || typeof option === 'number') return option;
  return Object.prototype.hasOwnProperty.call(option, path) ? option[path] : undefined;
}

/**
 * Stacks `elements` (same structure) into one batch. Does not dispose the elements; the
 * caller does, after success or failure. Tensors made on the way are disposed on failure.
 */
export function collate(elements: readonly unknown[], options: CollateOptions): unknown {
  const made: tf.Tensor[] = [];
  try {
    return collateAt(elements, '', options, made);
  } catch (error) {
    for (const t of made) t.dispose();
    throw error;
  }
}

function collateAt(elements: readonly unknown[], path: string, options: CollateOptions, made: tf.Tensor[]): unknown {
  const first = elements[0];
  const kind = kindOf(first);
  for (let i = 1; i < elements.length; i++) {
    const k = kindOf(elements[i]);
    if (k !== kind) {
      throw new ShapeError(`${UNIT}: ${where(i, path)} expected ${KIND_NAMES[kind]} like element 0, got ${KIND_NAMES[k]}`);
    }
  }
  switch (kind) {
    case 'tensor': {
      const t = stackTensors(elements as tf.Tensor[], path, options);
      made.push(t);
      return t;
    }
    case 'typed': {
      const t = stackTyped(elements as ArrayBufferView[], path, options);
      made.push(t);
      return t;
    }
    case 'number': {
      const values = elements as number[];
      if (options.numberDtype === 'int32') {
        for (let i = 0; i < values.length; i++) {
          if (!Number.isInteger(values[i])) {
            throw new DTypeError(`${UNIT}: ${where(i, path)} expected an integer for numberDtype 'int32', got ${values[i]}`);
          }
        }
      }
      const t = tf.tensor1d(values, options.numberDtype);
      made.push(t);
      return t;
    }
    case 'boolean': {
      const t = tf.tensor1d(elements as boolean[], 'bool');
      made.push(t);
      return t;
    }
    case 'array': {
      const arrays = elements as unknown[][];
      const length = arrays[0]!.length;
      for (let i = 1; i < arrays.length; i++) {
        if (arrays[i]!.length !== length) {
          throw new ShapeError(`${UNIT}: ${where(i, path)} expected an array of length ${length} like element 0, got length ${arrays[i]!.length}`, {
            help: 'arrays in an element are tuples; store a variable-length sequence as a tensor or typed array to pad it',
          });
        }
      }
      const out: unknown[] = new Array(length);
      for (let j = 0; j < length; j++) {
        out[j] = collateAt(arrays.map((a) => a[j]), child(path, j), options, made);
      }
      return out;
    }
    case 'object': {
      const objects = elements as Record<string, unknown>[];
      const keys = Object.keys(objects[0]!);
      for (let i = 1; i < objects.length; i++) {
        const other = Object.keys(objects[i]!);
        if (other.length !== keys.length || keys.some((k) => !Object.prototype.hasOwnProperty.call(objects[i], k))) {
          throw new ShapeError(`${UNIT}: ${where(i, path)} expected keys [${keys.join(', ')}] like element 0, got [${other.join(', ')}]`);
        }
      }
      const out: Record<string, unknown> = {};
      for (const k of keys) out[k] = collateAt(objects.map((o) => o[k]), child(path, k), options, made);
      return out;
    }
    default:
      // strings and anything else stay a plain array
      return elements.slice();
  }
}

function padSpec(path: string, rank: number, options: CollateOptions): { value: number; to: number | undefined } | null {
  const value = optionFor(options.padValue, path);
  const to = rank === 0 ? undefined : optionFor(options.padTo, path);
  if (value === undefined && to === undefined) return null;
  return { value: value ?? 0, to };
}

function stackTensors(ts: readonly tf.Tensor[], path: string, options: CollateOptions): tf.Tensor {
  const first = ts[0]!;
  const rank = first.rank;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    if (t.isDisposed) throw new ConfigError(`${UNIT}: ${where(i, path)} expected a live tensor, got a disposed one`);
    if (t.dtype !== first.dtype) {
      throw new DTypeError(`${UNIT}: ${where(i, path)} dtype expected ${first.dtype} like element 0, got ${t.dtype}`);
    }
    if (t.rank !== rank) {
      throw new ShapeError(`${UNIT}: ${where(i, path)} expected rank ${rank} like element 0, got shape ${formatShape(t.shape)}`);
    }
  }
  const pad = padSpec(path, rank, options);
  const target = first.shape.slice();
  let uniform = true;
  for (let i = 1; i < ts.length; i++) {
    const shape = ts[i]!.shape;
    for (let a = 0; a < rank; a++) {
      if (shape[a] !== target[a]) uniform = false;
      if (shape[a]! > target[a]!) target[a] = shape[a]!;
    }
  }
  if (!uniform && pad === null) {
    const i = ts.findIndex((t) => t.shape.some((d, a) => d !== first.shape[a]));
    throw new ShapeError(
      `${UNIT}: ${where(i, path)} expected shape ${formatShape(first.shape)} like element 0, got ${formatShape(ts[i]!.shape)}`,
      { help: 'pass { padValue: 0 } (and optionally padTo) to pad variable-length elements' },
    );
  }
  if (pad?.to !== undefined) {
    for (let i = 0; i < ts.length; i++) {
      const length = ts[i]!.shape[0]!;
      if (length > pad.to) {
        throw new ShapeError(`${UNIT}: ${where(i, path)} axis 0 expected at most padTo ${pad.to}, got shape ${formatShape(ts[i]!.shape)}`, {
          help: 'truncate long sequences first (augment has sequence truncation)',
        });
      }
    }
    target[0] = pad.to;
  }
  return tf.tidy(() => {
    const parts = ts.map((t) => {
      if (pad === null || t.shape.every((d, a) => d === target[a])) return t;
      return tf.pad(t, t.shape.map((d, a) => [0, target[a]! - d] as [number, number]), pad.value);
    });
    return tf.stack(parts);
  });
}

function stackTyped(arrays: readonly ArrayBufferView[], path: string, options: CollateOptions): tf.Tensor {
  const first = arrays[0] as unknown as ArrayLike<number>;
  const ctor = arrays[0]!.constructor;
  const float = arrays[0] instanceof Float32Array || arrays[0] instanceof Float64Array;
  if (arrays[0] instanceof BigInt64Array || arrays[0] instanceof BigUint64Array) {
    throw new DTypeError(`${UNIT}: ${where(0, path)} expected a number typed array, got ${ctor.name}`);
  }
  let width = first.length;
  let uniform = true;
  for (let i = 1; i < arrays.length; i++) {
    if (arrays[i]!.constructor !== ctor) {
      throw new DTypeError(`${UNIT}: ${where(i, path)} expected a ${ctor.name} like element 0, got ${arrays[i]!.constructor.name}`);
    }
    const n = (arrays[i] as unknown as ArrayLike<number>).length;
    if (n !== first.length) uniform = false;
    if (n > width) width = n;
  }
  const pad = padSpec(path, 1, options);
  if (!uniform && pad === null) {
    const i = arrays.findIndex((a) => (a as unknown as ArrayLike<number>).length !== first.length);
    throw new ShapeError(
      `${UNIT}: ${where(i, path)} expected length ${first.length} like element 0, got ${(arrays[i] as unknown as ArrayLike<number>).length}`,
      { help: 'pass { padValue: 0 } (and optionally padTo) to pad variable-length sequences' },
    );
  }
  if (pad?.to !== undefined) {
    for (let i = 0; i < arrays.length; i++) {
      const n = (arrays[i] as unknown as ArrayLike<number>).length;
      if (n > pad.to) {
        throw new ShapeError(`${UNIT}: ${where(i, path)} length expected at most padTo ${pad.to}, got ${n}`, {
          help: 'truncate long sequences first (augment has sequence truncation)',
        });
      }
    }
    width = pad.to;
  }
  const out = float ? new Float32Array(arrays.length * width) : new Int32Array(arrays.length * width);
  if (pad !== null && pad.value !== 0) out.fill(pad.value);
  for (let i = 0; i < arrays.length; i++) {
    out.set(arrays[i] as unknown as ArrayLike<number>, i * width);
  }
  return tf.tensor2d(out, [arrays.length, width], float ? 'float32' : 'int32');
}

/**
 * Splits a batch into its elements along axis 0. Does not dispose the batch. Tensors made on
 * the way are disposed on failure.
 */
export function split(batch: unknown): unknown[] {
  const made: tf.Tensor[] = [];
  try {
    const state = { size: null as number | null, path: '' };
    const parts = splitAt(batch, '', state, made);
    return parts;
  } catch (error) {
    for (const t of made) t.dispose();
    throw error;
  }
}

function isPrimitive(v: unknown): boolean {
  return v === null || (typeof v !== 'object' && typeof v !== 'function');
}

function checkSize(state: { size: number | null; path: string }, n: number, path: string): void {
  if (state.size === null) {
    state.size = n;
    state.path = path;
  } else if (n !== state.size) {
    const first = state.path === '' ? 'the batch' : `'${state.path}'`;
    throw new ShapeError(`Dataset.unbatch: '${path}' batch size expected ${state.size} like ${first}, got ${n}`);
  }
}

function splitAt(value: unknown, path: string, state: { size: number | null; path: string }, made: tf.Tensor[]): unknown[] {
  const label = path === '' ? 'the batch' : `'${path}'`;
  const kind = kindOf(value);
  switch (kind) {
    case 'tensor': {
      const t = value as tf.Tensor;
      if (t.rank === 0) {
        throw new ShapeError(`Dataset.unbatch: ${label} expected a tensor with a batch axis, got shape []`);
      }
      checkSize(state, t.shape[0]!, path);
      const parts = tf.unstack(t);
      made.push(...parts);
      return parts;
    }
    case 'typed': {
      const a = value as unknown as ArrayLike<number>;
      checkSize(state, a.length, path);
      return Array.from(a);
    }
    case 'array': {
      const a = value as unknown[];
      if (a.every(isPrimitive)) {
        checkSize(state, a.length, path);
        return a.slice();
      }
      const columns = a.map((v, j) => splitAt(v, child(path, j), state, made));
      return transpose(state.size ?? 0, (i) => columns.map((c) => c[i]));
    }
    case 'object': {
      const o = value as Record<string, unknown>;
      const keys = Object.keys(o);
      const columns = keys.map((k) => splitAt(o[k], child(path, k), state, made));
      return transpose(state.size ?? 0, (i) => {
        const out: Record<string, unknown> = {};
        keys.forEach((k, j) => (out[k] = columns[j]![i]));
        return out;
      });
    }
    default:
      throw new ShapeError(`Dataset.unbatch: ${label} expected a tensor, array or object with a batch axis, got ${KIND_NAMES[kind]}`);
  }
}

function transpose(n: number, row: (i: number) => unknown): unknown[] {
  const out: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = row(i);
  return out;
}

export { disposeAll };

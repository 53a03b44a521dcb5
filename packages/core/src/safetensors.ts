import * as tf from '@tensorflow/tfjs-core';
import { formatShape } from './checks.js';
import { FormatError, ShapeError, DTypeError } from './errors.js';

/**
 * The safetensors dtype codes. {@link readSafetensors} converts every one of them to a tfjs
 * dtype (floats to `float32`, integers to `int32`, checked for range, `BOOL` to `bool`);
 * {@link readSafetensorsRaw} keeps them as they are, and {@link writeSafetensors} writes
 * every one of them.
 *
 * @example
 * ```ts
 * const code: SafetensorsDtype = 'F32';
 * ```
 *
 * @group Tensor files
 */
export type SafetensorsDtype =
  | 'BOOL' | 'U8' | 'I8' | 'U16' | 'I16' | 'F16' | 'BF16' | 'U32' | 'I32' | 'F32' | 'F64' | 'I64' | 'U64';

/**
 * One entry of a safetensors header.
 *
 * @example
 * ```ts
 * const entry: SafetensorsEntry = { dtype: 'F32', shape: [2, 3], dataOffsets: [0, 24] };
 * ```
 *
 * @group Tensor files
 */
export interface SafetensorsEntry {
  /** The stored dtype. */
  dtype: SafetensorsDtype;
  /** The tensor's shape. */
  shape: number[];
  /** `[begin, end)` byte offsets into the data section. */
  dataOffsets: [number, number];
}

/**
 * A parsed safetensors header.
 *
 * @example
 * ```ts
 * const { entries, metadata } = readSafetensorsHeader(bytes);
 * ```
 *
 * @group Tensor files
 */
export interface SafetensorsHeader {
  /** Tensor entries by name, in file order. */
  entries: Map<string, SafetensorsEntry>;
  /** The free-form `__metadata__` string map (empty when absent). */
  metadata: Record<string, string>;
  /** Byte offset of the data section from the start of the file. */
  dataStart: number;
}

/**
 * What to expect of a file: the names and shapes (and optionally dtypes) of its tensors.
 *
 * @example
 * ```ts
 * const expect: SafetensorsExpectation = { 'fc1.kernel': { shape: [784, 10], dtype: 'float32' } };
 * ```
 *
 * @group Tensor files
 */
export type SafetensorsExpectation = Record<
  string,
  {
    /** The exact shape the entry must have. */
    shape: readonly number[];
    /** The tfjs dtype the entry must read as; any when absent. */
    dtype?: tf.DataType;
  }
>;

/**
 * Options of {@link readSafetensors}.
 *
 * @example
 * ```ts
 * readSafetensors(bytes, { source: 'model.safetensors', expect: { w: { shape: [2, 2] } } });
 * ```
 *
 * @group Tensor files
 */
export interface ReadSafetensorsOptions {
  /** A name for the bytes (usually the file path), used in error messages. */
  source?: string;
  /** When given, every tensor must match it exactly: no missing, extra or misshapen entries. */
  expect?: SafetensorsExpectation;
}

/**
 * The content of a safetensors file.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = readSafetensors(bytes);
 * ```
 *
 * @group Tensor files
 */
export interface SafetensorsContent {
  /** The tensors by name. The caller owns them and must dispose them. */
  tensors: Record<string, tf.Tensor>;
  /** The `__metadata__` string map. */
  metadata: Record<string, string>;
}

const BYTES: Record<SafetensorsDtype, number> = {
  BOOL: 1, U8: 1, I8: 1, U16: 2, I16: 2, F16: 2, BF16: 2, U32: 4, I32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};
/** The order of the reference implementation's `Dtype` enum, which its writer sorts by. */
const DTYPE_RANK: Record<SafetensorsDtype, number> = {
  BOOL: 0, U8: 1, I8: 2, I16: 3, U16: 4, F16: 5, BF16: 6, I32: 7, U32: 8, F32: 9, F64: 10, I64: 11, U64: 12,
};
const MAX_HEADER = 100_000_000; // the reference implementation's limit

function fail(source: string, what: string): never {
  throw new FormatError(`safetensors '${source}': ${what}`);
}

/**
 * Parses and validates the header of a safetensors buffer without reading any tensor.
 *
 * @param bytes - the whole file.
 * @param source - a name for the bytes, used in error messages.
 * @throws {@link FormatError} for a truncated buffer, a malformed header, unknown dtypes,
 *   or offsets that do not match the shapes or do not tile the data section.
 * @example
 * ```ts
 * const header = readSafetensorsHeader(bytes, 'model.safetensors');
 * for (const [name, e] of header.entries) console.log(name, e.dtype, e.shape);
 * ```
 *
 * @group Tensor files
 */
export function readSafetensorsHeader(bytes: Uint8Array, source = '<bytes>'): SafetensorsHeader {
  if (bytes.byteLength < 8) fail(source, `file is truncated: expected at least 8 bytes, got ${bytes.byteLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawLength = view.getBigUint64(0, true);
  if (rawLength > BigInt(MAX_HEADER)) {
    fail(source, `not a safetensors file: header length ${rawLength} exceeds the limit ${MAX_HEADER}`);
  }
  const headerLength = Number(rawLength);
  if (8 + headerLength > bytes.byteLength) {
    fail(source, `file is truncated: header needs ${headerLength} bytes after the length prefix, got ${bytes.byteLength - 8}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (cause) {
    throw new FormatError(`safetensors '${source}': not a safetensors file: header is not valid UTF-8 JSON`, { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    fail(source, `not a safetensors file: header expected a JSON object, got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.byteLength - dataStart;
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Object.values(raw).some((v) => typeof v !== 'string')) {
        fail(source, '__metadata__ must map strings to strings');
      }
      metadata = { ...(raw as Record<string, string>) };
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== 'object' || e === null) fail(source, `entry '${name}' must be an object`);
    if (typeof e.dtype !== 'string' || !(e.dtype in BYTES)) {
      fail(source, `entry '${name}' dtype expected one of ${Object.keys(BYTES).join(', ')}, got ${JSON.stringify(e.dtype)}`);
    }
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0)) {
      fail(source, `entry '${name}' shape must be a list of non-negative integers, got ${JSON.stringify(e.shape)}`);
    }
    const offsets = e.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isInteger(o) || o < 0) || offsets[0] > offsets[1]) {
      fail(source, `entry '${name}' data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`);
    }
    const dtype = e.dtype as SafetensorsDtype;
    const shape = e.shape as number[];
    const [begin, end] = offsets as [number, number];
    const expected = shape.reduce((a, b) => a * b, 1) * BYTES[dtype];
    if (end - begin !== expected) {
      fail(source, `entry '${name}' (${dtype} ${formatShape(shape)}) expected ${expected} bytes, got data_offsets spanning ${end - begin}`);
    }
    if (end > dataLength) {
      fail(source, `file is truncated: entry '${name}' ends at data byte ${end}, but the data section has ${dataLength} bytes`);
    }
    entries.set(name, { dtype, shape, dataOffsets: [begin, end] });
  }
  // The format requires the entries to tile the data section: no gaps, no overlaps.
  const spans = [...entries.entries()].sort((a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0]);
  let cursor = 0;
  for (const [name, e] of spans) {
    if (e.dataOffsets[0] !== cursor) {
      fail(source, `entry '${name}' starts at data byte ${e.dataOffsets[0]}, expected ${cursor} (entries must be contiguous and not overlap)`);
    }
    cursor = e.dataOffsets[1];
  }
  if (cursor !== dataLength) fail(source, `data section has ${dataLength} bytes, but the entries cover ${cursor}`);
  return { entries, metadata, dataStart };
}

function decodeHalf(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function decodeEntry(name: string, e: SafetensorsEntry, data: DataView, source: string): tf.Tensor {
  const n = e.shape.reduce((a, b) => a * b, 1);
  const at = e.dataOffsets[0];
  const size = BYTES[e.dtype];
  const toInt = (read: (offset: number) => number | bigint): Int32Array => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = read(at + i * size);
      const num = typeof v === 'bigint' ? Number(v) : v;
      if (num < -2147483648 || num > 2147483647) {
        throw new DTypeError(`safetensors '${source}': entry '${name}' (${e.dtype}) value ${v} at index ${i} does not fit int32`);
      }
      out[i] = num;
    }
    return out;
  };
  const toFloat = (read: (offset: number) => number): Float32Array => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = read(at + i * size);
    return out;
  };
  switch (e.dtype) {
    case 'F32': return tf.tensor(toFloat((o) => data.getFloat32(o, true)), e.shape, 'float32');
    case 'F64': return tf.tensor(toFloat((o) => data.getFloat64(o, true)), e.shape, 'float32');
    case 'F16': return tf.tensor(toFloat((o) => decodeHalf(data.getUint16(o, true))), e.shape, 'float32');
    case 'BF16': {
      const scratch = new DataView(new ArrayBuffer(4));
      return tf.tensor(toFloat((o) => { scratch.setUint32(0, data.getUint16(o, true) << 16); return scratch.getFloat32(0); }), e.shape, 'float32');
    }
    case 'I32': return tf.tensor(toInt((o) => data.getInt32(o, true)), e.shape, 'int32');
    case 'U32': return tf.tensor(toInt((o) => data.getUint32(o, true)), e.shape, 'int32');
    case 'I16': return tf.tensor(toInt((o) => data.getInt16(o, true)), e.shape, 'int32');
    case 'U16': return tf.tensor(toInt((o) => data.getUint16(o, true)), e.shape, 'int32');
    case 'I8': return tf.tensor(toInt((o) => data.getInt8(o)), e.shape, 'int32');
    case 'U8': return tf.tensor(toInt((o) => data.getUint8(o)), e.shape, 'int32');
    case 'I64': return tf.tensor(toInt((o) => data.getBigInt64(o, true)), e.shape, 'int32');
    case 'U64': return tf.tensor(toInt((o) => data.getBigUint64(o, true)), e.shape, 'int32');
    case 'BOOL': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = data.getUint8(at + i) === 0 ? 0 : 1;
      return tf.tensor(out, e.shape, 'bool');
    }
  }
}

/**
 * Checks a named tensor map against an expectation: no missing, extra or misshapen entry.
 *
 * @param unit - who is checking, for the message (e.g. `"loadState 'mnist-cnn'"`).
 * @param actual - the shapes (and dtypes) found, by name.
 * @param expected - the shapes (and dtypes) wanted, by name.
 * @throws {@link ShapeError} naming the first entry that is missing, extra, or of the wrong shape;
 *   {@link DTypeError} for the wrong dtype.
 * @example
 * ```ts
 * checkTensorMap('loadState', { w: { shape: [2, 2], dtype: 'float32' } }, { w: { shape: [2, 2] } });
 * ```
 *
 * @group Tensor files
 */
export function checkTensorMap(
  unit: string,
  actual: Record<string, { shape: readonly number[]; dtype?: tf.DataType }>,
  expected: SafetensorsExpectation,
): void {
  for (const name of Object.keys(expected)) {
    if (!(name in actual)) {
      throw new ShapeError(`${unit}: entry '${name}' is missing (expected shape ${formatShape(expected[name]!.shape)})`);
    }
  }
  for (const [name, got] of Object.entries(actual)) {
    const want = expected[name];
    if (want === undefined) {
      throw new ShapeError(`${unit}: entry '${name}' is not expected (shape ${formatShape(got.shape)})`, {
        help: `expected entries: ${Object.keys(expected).join(', ') || '(none)'}`,
      });
    }
    if (want.shape.length !== got.shape.length || want.shape.some((d, i) => d !== got.shape[i])) {
      throw new ShapeError(`${unit}: entry '${name}' expected shape ${formatShape(want.shape)}, got ${formatShape(got.shape)}`);
    }
    if (want.dtype !== undefined && got.dtype !== undefined && want.dtype !== got.dtype) {
      throw new DTypeError(`${unit}: entry '${name}' expected dtype ${want.dtype}, got ${got.dtype}`);
    }
  }
}

/**
 * Reads a safetensors buffer into tfjs tensors.
 *
 * The format: an 8-byte little-endian header length, a JSON header mapping each name to
 * `{dtype, shape, data_offsets}` (plus an optional `__metadata__` string map), then the raw
 * little-endian data. See https://github.com/huggingface/safetensors.
 *
 * @param bytes - the whole file.
 * @param options - a source name for messages, and an optional expectation to check.
 * @returns the tensors (owned by the caller) and the metadata.
 * @throws {@link FormatError} for a truncated or malformed file; {@link ShapeError} or
 *   {@link DTypeError} when `expect` is given and does not match.
 * @example
 * ```ts
 * const { tensors } = readSafetensors(bytes, { expect: { 'fc.kernel': { shape: [4, 2] } } });
 * ```
 *
 * @group Tensor files
 */
export function readSafetensors(bytes: Uint8Array, options: ReadSafetensorsOptions = {}): SafetensorsContent {
  const source = options.source ?? '<bytes>';
  const header = readSafetensorsHeader(bytes, source);
  if (options.expect) {
    const found: Record<string, { shape: number[]; dtype: tf.DataType }> = {};
    for (const [name, e] of header.entries) found[name] = { shape: e.shape, dtype: tfjsDtypeOf(e.dtype) };
    checkTensorMap(`safetensors '${source}'`, found, options.expect);
  }
  const data = new DataView(bytes.buffer, bytes.byteOffset + header.dataStart, bytes.byteLength - header.dataStart);
  const tensors: Record<string, tf.Tensor> = {};
  try {
    for (const [name, e] of header.entries) tensors[name] = decodeEntry(name, e, data, source);
  } catch (err) {
    for (const t of Object.values(tensors)) t.dispose();
    throw err;
  }
  return { tensors, metadata: header.metadata };
}

function tfjsDtypeOf(d: SafetensorsDtype): tf.DataType {
  if (d === 'BOOL') return 'bool';
  return d.startsWith('F') || d === 'BF16' ? 'float32' : 'int32';
}

/**
 * The typed array that holds one safetensors dtype's values exactly: `Float32Array` for F32,
 * `Float64Array` for F64, `Uint16Array` of the raw bits for F16 and BF16, `BigInt64Array`
 * for I64, `BigUint64Array` for U64, `Int32Array`, `Uint32Array`, `Int16Array`,
 * `Uint16Array`, `Int8Array`, `Uint8Array` for the other integers, `Uint8Array` (0 or 1)
 * for BOOL.
 *
 * @example
 * ```ts
 * const bits: SafetensorsArray = new Uint16Array([0x3c00]); // F16 1.0
 * ```
 *
 * @group Tensor files
 */
export type SafetensorsArray =
  | Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array
  | BigInt64Array | BigUint64Array;

/**
 * One tensor exactly as a safetensors file stores it: its dtype, shape and values in the
 * typed array of that dtype (see {@link SafetensorsArray}). {@link readSafetensorsRaw}
 * returns these and {@link writeSafetensors} writes them back byte for byte.
 *
 * @example
 * ```ts
 * const steps: SafetensorsRawTensor = { dtype: 'I64', shape: [], data: new BigInt64Array([100n]) };
 * ```
 *
 * @group Tensor files
 */
export interface SafetensorsRawTensor {
  /** The stored dtype. */
  dtype: SafetensorsDtype;
  /** The tensor's shape. */
  shape: number[];
  /** The values, row-major, in the typed array of `dtype`. */
  data: SafetensorsArray;
}

/**
 * A tfjs tensor together with the safetensors dtype to store it as: a float32 tensor as F32,
 * F16, BF16 or F64; an int32 tensor as any integer dtype (values checked for range); a bool
 * tensor as BOOL or U8.
 *
 * @example
 * ```ts
 * const entry: SafetensorsTypedTensor = { tensor: bn.buffers()['numBatchesTracked']!, dtype: 'I64' };
 * ```
 *
 * @group Tensor files
 */
export interface SafetensorsTypedTensor {
  /** The tensor; not disposed. */
  tensor: tf.Tensor;
  /** The dtype to store it as. */
  dtype: SafetensorsDtype;
}

/**
 * What {@link writeSafetensors} accepts per name: a tfjs tensor (float32 → F32, or the
 * `floatDtype` option; int32 → I32; bool → BOOL), a tensor with a dtype, or a raw tensor.
 *
 * @example
 * ```ts
 * const entries: Record<string, SafetensorsValue> = { w: tf.ones([2]), n: { tensor: tf.scalar(3, 'int32'), dtype: 'I64' } };
 * ```
 *
 * @group Tensor files
 */
export type SafetensorsValue = tf.Tensor | SafetensorsTypedTensor | SafetensorsRawTensor;

/**
 * Options of {@link writeSafetensors}.
 *
 * @example
 * ```ts
 * writeSafetensors(model.state(), {}, { floatDtype: 'BF16' }); // a half-size checkpoint
 * ```
 *
 * @group Tensor files
 */
export interface WriteSafetensorsOptions {
  /**
   * The dtype of every float32 tfjs tensor given without its own dtype: `'F32'` (default),
   * `'F16'` or `'BF16'` (rounded to nearest, ties to even, as PyTorch's `.half()` and
   * `.bfloat16()`), or `'F64'`. Raw tensors and tensors with a dtype keep theirs.
   */
  floatDtype?: 'F32' | 'F16' | 'BF16' | 'F64';
}

/**
 * The content of a safetensors file with every tensor kept in its stored dtype.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = readSafetensorsRaw(bytes);
 * ```
 *
 * @group Tensor files
 */
export interface SafetensorsRawContent {
  /** The tensors by name, in file order. */
  tensors: Record<string, SafetensorsRawTensor>;
  /** The `__metadata__` string map. */
  metadata: Record<string, string>;
}

type ArrayMaker = new (buffer: ArrayBuffer, byteOffset?: number, length?: number) => SafetensorsArray;
const ARRAYS: Record<SafetensorsDtype, ArrayMaker> = {
  BOOL: Uint8Array, U8: Uint8Array, I8: Int8Array, U16: Uint16Array, I16: Int16Array, F16: Uint16Array,
  BF16: Uint16Array, U32: Uint32Array, I32: Int32Array, F32: Float32Array, F64: Float64Array,
  I64: BigInt64Array, U64: BigUint64Array,
};

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Swaps each `size`-byte element of `bytes` in place (a no-op for single bytes). */
function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i < bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * Reads a safetensors buffer keeping every tensor exactly as stored: F16 and BF16 as their
 * raw bits, I64 as `BigInt64Array`, and so on ({@link SafetensorsRawTensor}). Writing the
 * result back with {@link writeSafetensors} (same metadata) reproduces the bytes of a file
 * written by the reference implementation. No tfjs tensor is created.
 *
 * @param bytes - the whole file.
 * @param options - a source name for messages.
 * @returns the raw tensors, in file order, and the metadata.
 * @throws {@link FormatError} for a truncated or malformed file.
 * @example
 * ```ts
 * const { tensors, metadata } = readSafetensorsRaw(bytes);
 * tensors['bn.num_batches_tracked']!.data; // BigInt64Array [ 100n ]
 * const same = writeSafetensors(tensors, metadata); // byte-identical to `bytes`
 * ```
 *
 * @group Tensor files
 */
export function readSafetensorsRaw(bytes: Uint8Array, options: { source?: string } = {}): SafetensorsRawContent {
  const header = readSafetensorsHeader(bytes, options.source ?? '<bytes>');
  const tensors: Record<string, SafetensorsRawTensor> = {};
  for (const [name, e] of header.entries) {
    // Copy out, so the arrays are aligned and do not keep the whole file alive.
    const chunk = bytes.slice(header.dataStart + e.dataOffsets[0], header.dataStart + e.dataOffsets[1]);
    if (!LITTLE_ENDIAN) swapBytes(chunk, BYTES[e.dtype]);
    const Maker = ARRAYS[e.dtype];
    tensors[name] = { dtype: e.dtype, shape: [...e.shape], data: new Maker(chunk.buffer, 0, chunk.byteLength / BYTES[e.dtype]) };
  }
  return { tensors, metadata: { ...header.metadata } };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The IEEE half-precision bits nearest to a float32 value (ties to even; overflow to ±∞;
 * NaN stays NaN), as PyTorch's `.half()`.
 */
function encodeHalf(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | (mant === 0 ? 0x7c00 : 0x7e00 | (mant >>> 13));
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e >= 1) {
    let half = sign | (e << 10) | (mant >>> 13);
    const rest = mant & 0x1fff;
    if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half += 1; // a carry into the exponent is right, up to ∞
    return half;
  }
  if (e < -10) return sign; // below half the smallest subnormal: ±0
  const m = mant | 0x800000; // implicit leading bit, 24 significant bits
  const shift = 14 - e; // value = m · 2^(e - 14 - 24 + 24) in units of 2^-24
  let half = m >>> shift;
  const rest = m & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  if (rest > halfway || (rest === halfway && (half & 1) === 1)) half += 1;
  return sign | half;
}

/** The bfloat16 bits nearest to a float32 value (ties to even; NaN stays NaN), as PyTorch's `.bfloat16()`. */
function encodeBfloat16(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return (x >>> 16) | 0x40;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

const INT_RANGES: Partial<Record<SafetensorsDtype, [number, number]>> = {
  U8: [0, 255], I8: [-128, 127], U16: [0, 65535], I16: [-32768, 32767], U32: [0, 4294967295],
  I32: [-2147483648, 2147483647], I64: [-Infinity, Infinity], U64: [0, Infinity],
};

/** Converts a tfjs tensor to the raw values of `dtype`, checking that the conversion is allowed and exact for integers. */
function toRaw(name: string, t: tf.Tensor, dtype: SafetensorsDtype): SafetensorsRawTensor {
  const unit = `writeSafetensors: tensor '${name}'`;
  const shape = [...t.shape];
  const allowed =
    t.dtype === 'float32' ? ['F32', 'F16', 'BF16', 'F64']
      : t.dtype === 'int32' ? Object.keys(INT_RANGES)
        : t.dtype === 'bool' ? ['BOOL', 'U8'] : [];
  if (allowed.length === 0) {
    throw new DTypeError(`${unit} dtype expected float32, int32 or bool, got ${t.dtype}`);
  }
  if (!allowed.includes(dtype)) {
    throw new DTypeError(`${unit} (${t.dtype}) stored dtype expected one of ${allowed.join(', ')}, got ${dtype}`);
  }
  const values = t.dataSync() as Float32Array | Int32Array | Uint8Array;
  switch (dtype) {
    case 'F32': return { dtype, shape, data: Float32Array.from(values) };
    case 'F64': return { dtype, shape, data: Float64Array.from(values) };
    case 'F16': return { dtype, shape, data: Uint16Array.from(values, encodeHalf) };
    case 'BF16': return { dtype, shape, data: Uint16Array.from(values, encodeBfloat16) };
    case 'BOOL': return { dtype, shape, data: Uint8Array.from(values, (v) => (v ? 1 : 0)) };
    default: {
      const [lo, hi] = INT_RANGES[dtype]!;
      const bad = values.findIndex((v) => v < lo || v > hi);
      if (bad >= 0) {
        throw new DTypeError(`${unit} value ${values[bad]} at index ${bad} expected to fit ${dtype} [${lo}, ${hi}]`);
      }
      if (dtype === 'I64') return { dtype, shape, data: BigInt64Array.from(values, (v) => BigInt(v)) };
      if (dtype === 'U64') return { dtype, shape, data: BigUint64Array.from(values, (v) => BigInt(v)) };
      const Maker = ARRAYS[dtype] as unknown as { from(values: ArrayLike<number>): SafetensorsArray };
      return { dtype, shape, data: Maker.from(values) };
    }
  }
}

/** Checks that a raw tensor's array is the one of its dtype and holds as many values as its shape. */
function checkRaw(name: string, raw: SafetensorsRawTensor): void {
  const unit = `writeSafetensors: tensor '${name}'`;
  if (!(raw.dtype in BYTES)) {
    throw new DTypeError(`${unit} dtype expected one of ${Object.keys(BYTES).join(', ')}, got ${JSON.stringify(raw.dtype)}`);
  }
  const Maker = ARRAYS[raw.dtype];
  if (!(raw.data instanceof Maker)) {
    throw new DTypeError(`${unit} (${raw.dtype}) data expected a ${Maker.name}, got ${raw.data?.constructor?.name ?? typeof raw.data}`);
  }
  const size = raw.shape.reduce((a, b) => a * b, 1);
  if (raw.data.length !== size) {
    throw new ShapeError(`${unit} (${raw.dtype} ${formatShape(raw.shape)}) data expected ${size} values, got ${raw.data.length}`);
  }
}

/**
 * Writes named tensors as a safetensors buffer, in the reference writer's layout: entries
 * ordered by dtype (64-bit first, in the reference's dtype order) then name, the metadata
 * first in its given key order, the header padded with spaces to 8 bytes.
 *
 * Each value is a tfjs tensor (float32 → F32 or the `floatDtype` option, int32 → I32, bool →
 * BOOL), a `{ tensor, dtype }` pair to store a tensor as another dtype (F16, BF16, F64, I64,
 * U8, ...), or a raw tensor from {@link readSafetensorsRaw} (written byte for byte, so a
 * read-then-write round trip is byte-identical). Every value is converted before any byte is
 * written: a bad one fails the whole call.
 *
 * @param tensors - values by name; tensors are not disposed.
 * @param metadata - optional `__metadata__` string map.
 * @param options - the stored dtype of float32 tensors (`floatDtype`).
 * @returns the file's bytes.
 * @throws {@link DTypeError} for a dtype safetensors cannot hold (string, complex64), a
 *   conversion it does not allow (float32 to I64) or an integer out of the stored range;
 *   {@link ShapeError} for a raw tensor whose data does not match its shape.
 * @example
 * ```ts
 * const bytes = writeSafetensors({ 'fc.kernel': w, 'fc.bias': b }, { framework: 'tensorloom' });
 * const half = writeSafetensors(model.state(), {}, { floatDtype: 'F16' });
 * const torchLike = writeSafetensors({ 'bn.num_batches_tracked': { tensor: steps, dtype: 'I64' } });
 * ```
 *
 * @group Tensor files
 */
export function writeSafetensors(
  tensors: Record<string, SafetensorsValue>,
  metadata?: Record<string, string>,
  options: WriteSafetensorsOptions = {},
): Uint8Array {
  const floatDtype = options.floatDtype ?? 'F32';
  if (!['F32', 'F16', 'BF16', 'F64'].includes(floatDtype)) {
    throw new DTypeError(`writeSafetensors: floatDtype expected one of F32, F16, BF16, F64, got ${JSON.stringify(floatDtype)}`);
  }
  const raws: [string, SafetensorsRawTensor][] = Object.entries(tensors).map(([name, v]) => {
    if (v instanceof tf.Tensor) {
      return [name, toRaw(name, v, v.dtype === 'float32' ? floatDtype : v.dtype === 'int32' ? 'I32' : 'BOOL')];
    }
    if ('tensor' in v) return [name, toRaw(name, v.tensor, v.dtype)];
    checkRaw(name, v);
    return [name, v];
  });
  // The reference writer's order: dtypes in descending order of its dtype enum (which keeps
  // larger dtypes first, so every entry stays aligned), then by name.
  raws.sort(([na, a], [nb, b]) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || (na < nb ? -1 : na > nb ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, raw] of raws) {
    header[name] = { dtype: raw.dtype, shape: raw.shape, data_offsets: [offset, offset + raw.data.byteLength] };
    offset += raw.data.byteLength;
  }
  const encoder = new TextEncoder();
  const json = JSON.stringify(header);
  const unpadded = encoder.encode(json).byteLength;
  // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
  const headerBytes = encoder.encode(json + ' '.repeat((8 - (unpadded % 8)) % 8));
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const [, raw] of raws) {
    const chunk = new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
    out.set(chunk, at);
    if (!LITTLE_ENDIAN) swapBytes(out.subarray(at, at + chunk.byteLength), BYTES[raw.dtype]);
    at += chunk.byteLength;
  }
  return out;
}

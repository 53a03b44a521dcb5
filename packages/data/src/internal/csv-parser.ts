import { Deque } from './deque.js';

/** A parsed record, or a record-level problem; `line` is where the record starts (from 1). */
export type CsvRecord = { fields: string[]; line: number } | { error: string; line: number };

const QUOTE = 34; // "
const CR = 13;
const LF = 10;

/**
 * Incremental RFC 4180 parser: feed text in chunks of any size, take records as they
 * complete. Quoted fields may hold delimiters, newlines and doubled quotes (`""`). Lenient
 * where RFC 4180 is silent: a quote inside an unquoted field is literal, and text after a
 * closing quote is appended (as Python's csv module does). Empty lines are skipped; CRLF, LF
 * and CR all end a record; a leading byte-order mark is dropped.
 */
export class CsvParser {
  readonly records = new Deque<CsvRecord>();
  private fields: string[] = [];
  private field = '';
  private quoted = false; // inside a quoted field
  private afterQuote = false; // just saw a quote inside a quoted field
  private fieldStarted = false; // the current field has begun (a character or an opening quote)
  private recordStarted = false; // the current record has begun (so it is not an empty line)
  private quotedCR = false; // the last character of quoted text was a CR (for CRLF line counts)
  private line = 1;
  private recordLine = 1;
  private lastWasCR = false;
  private first = true;
  private readonly delimiter: number;

  constructor(delimiter: string) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  push(chunk: string): void {
    let text = chunk;
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const n = text.length;
    let i = 0;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (this.lastWasCR) {
        this.lastWasCR = false;
        if (c === LF) {
          i++;
          continue; // the LF of a CRLF
        }
      }
      if (this.quoted) {
        if (this.afterQuote) {
          this.afterQuote = false;
          if (c === QUOTE) {
            this.field += '"';
            i++;
            continue;
          }
          this.quoted = false; // the quote closed the field; fall through to handle `c`
        } else {
          // copy a run of ordinary characters at once
          let j = i;
          while (j < n) {
            const d = text.charCodeAt(j);
            if (d === QUOTE) break;
            if (d === CR || (d === LF && !this.quotedCR)) this.line++;
            this.quotedCR = d === CR;
            j++;
          }
          this.field += text.slice(i, j);
          if (j < n) {
            this.afterQuote = true;
            this.quotedCR = false;
            j++;
          }
          i = j;
          continue;
        }
      }
      if (c === this.delimiter) {
        this.endField();
        this.recordStarted = true;
        i++;
      } else if (c === LF || c === CR) {
        this.endRecord();
        this.line++;
        this.recordLine = this.line;
        this.lastWasCR = c === CR;
        i++;
      } else if (c === QUOTE && !this.fieldStarted) {
        this.quoted = true;
        this.fieldStarted = true;
        this.recordStarted = true;
        i++;
      } else {
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === this.delimiter || d === LF || d === CR) break;
          j++;
        }
        this.field += text.slice(i, j);
        this.fieldStarted = true;
        this.recordStarted = true;
        i = j;
      }
    }
  }

  /** Ends the input: completes the last record, or reports an unclosed quote. */
  end(): void {
    if (this.quoted && !this.afterQuote) {
      this.records.push({ error: 'has a quoted field that is never closed', line: this.recordLine });
      this.quoted = false;
      this.field = '';
      this.fields = [];
      this.fieldStarted = false;
      this.recordStarted = false;
      return;
    }
    this.quoted = false;
    this.afterQuote = false;
    this.endRecord();
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = '';
    this.fieldStarted = false;
  }

  private endRecord(): void {
    if (!this.recordStarted) return; // an empty line
    this.endField();
    this.records.push({ fields: this.fields, line: this.recordLine });
    this.fields = [];
    this.recordStarted = false;
  }
}

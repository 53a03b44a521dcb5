import { ConfigError, ShapeError, intInRange } from '@tensorloom/core';

import { formatValue } from '../internal/svg.js';

/**
 * Options of {@link formatTable}.
 *
 * @example
 * ```ts
 * formatTable(cm, { header: ['', 'pred cat', 'pred dog'], rowLabels: ['cat', 'dog'] });
 * ```
 *
 * @group Rendering
 */
export interface FormatTableOptions {
  /** Column titles. Default: the keys of the first record, or none for arrays. */
  header?: string[];
  /** Labels prepended to the rows as a first column (its title is `header[0]` when given). */
  rowLabels?: string[];
  /** Decimals of non-integer numbers. Default 4. */
  digits?: number;
}

function width(s: string): number {
  return Array.from(s).length;
}

/**
 * Formats rows as a plain-text table for terminals: columns padded to a common width and
 * separated by two spaces, numbers right-aligned with `digits` decimals (integers as they
 * are, NaN as `n/a`), text left-aligned, and a dashed rule under the header.
 *
 * @param rows - arrays of cells, or records (the keys of the first become the header).
 * @param options - header, row labels, decimals.
 * @returns the table, lines joined with `\n` (no trailing newline).
 * @throws `ShapeError` for rows of different lengths; `ConfigError` for a header or
 *   row labels of the wrong length.
 * @example
 * ```ts
 * console.log(formatTable([
 *   { metric: 'accuracy', value: 0.9234 },
 *   { metric: 'f1', value: 0.88 },
 * ]));
 * // metric     value
 * // --------  ------
 * // accuracy  0.9234
 * // f1        0.8800
 * ```
 *
 * @group Rendering
 */
export function formatTable(
  rows: readonly (readonly (string | number)[])[] | readonly Readonly<Record<string, string | number>>[],
  options: FormatTableOptions = {},
): string {
  const unit = 'formatTable';
  const digits = options.digits === undefined ? 4 : intInRange(unit, 'digits', options.digits, 0, 20);
  let header = options.header;
  let body: (string | number)[][]; // text cells are left-aligned, numbers right-aligned
  if (rows.length > 0 && !Array.isArray(rows[0])) {
    const records = rows as readonly Readonly<Record<string, string | number>>[];
    const keys = header ?? Object.keys(records[0]);
    header = keys;
    body = records.map((r) => keys.map((k) => (k in r ? r[k] : '')));
  } else {
    body = (rows as readonly (readonly (string | number)[])[]).map((r) => r.slice());
  }
  if (options.rowLabels !== undefined) {
    if (options.rowLabels.length !== body.length) {
      throw new ConfigError(`${unit}: rowLabels expected ${body.length} labels (one per row), got ${options.rowLabels.length}`);
    }
    body = body.map((r, i) => [options.rowLabels![i], ...r]);
    if (header !== undefined && header.length === (body[0]?.length ?? 0) - 1) header = ['', ...header];
  }
  const columns = Math.max(header?.length ?? 0, ...body.map((r) => r.length));
  body.forEach((r, i) => {
    if (r.length !== columns) throw new ShapeError(`${unit}: rows expected ${columns} cells each, got ${r.length} in row ${i}`);
  });
  if (header !== undefined && header.length !== columns) {
    throw new ConfigError(`${unit}: header expected ${columns} titles (one per column), got ${header.length}`);
  }
  const text = body.map((r) => r.map((c) => (typeof c === 'number' ? formatValue(c, digits) : String(c))));
  const numeric = Array.from({ length: columns }, (_, j) => body.length > 0 && body.every((r) => typeof r[j] === 'number'));
  const widths = Array.from({ length: columns }, (_, j) =>
    Math.max(header === undefined ? 0 : width(header[j]), ...text.map((r) => width(r[j]))),
  );
  const pad = (s: string, j: number): string => {
    const fill = ' '.repeat(widths[j] - width(s));
    return numeric[j] ? fill + s : s + fill;
  };
  const lines: string[] = [];
  if (header !== undefined) {
    lines.push(header.map((h, j) => pad(h, j)).join('  ').trimEnd());
    lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const r of text) lines.push(r.map((c, j) => pad(c, j)).join('  ').trimEnd());
  return lines.join('\n');
}

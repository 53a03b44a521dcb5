import { ConfigError, ShapeError, intInRange, oneOf } from '@tensorloom/core';

import { FONT, blues, coord, escapeXml, formatValue } from '../internal/svg.js';

/**
 * Options of {@link confusionMatrixSvg}.
 *
 * @example
 * ```ts
 * confusionMatrixSvg(matrix, { classNames: ['cat', 'dog'], normalize: 'true', title: 'Validation' });
 * ```
 *
 * @group Rendering
 */
export interface ConfusionMatrixSvgOptions {
  /** Names of the classes, in index order. Default `0`, `1`, .... */
  classNames?: string[];
  /** The title. Default `'Confusion matrix'`. */
  title?: string;
  /**
   * Show rates instead of counts: `'true'` (rows sum to 1), `'pred'` (columns) or `'all'`.
   * Default `'none'` (values as given). Rows or columns summing to 0 show 0.
   */
  normalize?: 'none' | 'true' | 'pred' | 'all';
  /** Decimals for non-integer values. Default 2. */
  digits?: number;
  /** Side of a cell in pixels. Default 56. */
  cellSize?: number;
}

const UNIT = 'confusionMatrixSvg';

function normalized(m: readonly (readonly number[])[], how: 'none' | 'true' | 'pred' | 'all'): number[][] {
  const K = m.length;
  const div = (v: number, d: number): number => (d === 0 ? 0 : v / d);
  if (how === 'true') return m.map((r) => r.map((v) => div(v, r.reduce((a, b) => a + b, 0))));
  if (how === 'pred') {
    const cols = Array.from({ length: K }, (_, j) => m.reduce((a, r) => a + r[j], 0));
    return m.map((r) => r.map((v, j) => div(v, cols[j])));
  }
  if (how === 'all') {
    const total = m.reduce((a, r) => a + r.reduce((x, y) => x + y, 0), 0);
    return m.map((r) => r.map((v) => div(v, total)));
  }
  return m.map((r) => r.slice());
}

/**
 * Renders a confusion matrix as a standalone SVG document (open it in a browser, or write
 * it to a `.svg` file): a heat map with the value in every cell, class names on both axes,
 * "True label" down the side, "Predicted label" along the bottom, a title, and a colour
 * legend from the smallest to the largest value.
 *
 * @param matrix - K×K values, rows = true class, columns = predicted class (what
 *   {@link confusionMatrix} returns).
 * @param options - names, title, normalisation, decimals, cell size.
 * @returns the SVG markup, starting with `<svg xmlns=...>`.
 * @throws `ShapeError` when the matrix is not square or holds non-numbers.
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * const cm = confusionMatrix.compute(labels, logits);
 * writeFileSync('confusion.svg', confusionMatrixSvg(cm, { classNames: ['cat', 'dog', 'bird'] }));
 * ```
 *
 * @group Rendering
 */
export function confusionMatrixSvg(matrix: readonly (readonly number[])[], options: ConfusionMatrixSvgOptions = {}): string {
  if (!Array.isArray(matrix) || matrix.length === 0) {
    throw new ShapeError(`${UNIT}: matrix expected a non-empty K×K array, got ${Array.isArray(matrix) ? 'an empty array' : typeof matrix}`);
  }
  const K = matrix.length;
  matrix.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== K) {
      throw new ShapeError(`${UNIT}: matrix expected ${K} values in row ${i} (a square matrix), got ${Array.isArray(row) ? row.length : typeof row}`);
    }
    row.forEach((v, j) => {
      if (typeof v !== 'number') throw new ShapeError(`${UNIT}: matrix expected numbers, got ${typeof v} at [${i}, ${j}]`);
    });
  });
  const names = options.classNames ?? Array.from({ length: K }, (_, k) => String(k));
  if (names.length !== K) throw new ConfigError(`${UNIT}: classNames expected ${K} names, got ${names.length}`);
  const how = options.normalize === undefined ? 'none' : oneOf<'none' | 'true' | 'pred' | 'all'>(UNIT, 'normalize', options.normalize, ['none', 'true', 'pred', 'all']);
  const digits = options.digits === undefined ? 2 : intInRange(UNIT, 'digits', options.digits, 0, 10);
  const cell = options.cellSize === undefined ? 56 : intInRange(UNIT, 'cellSize', options.cellSize, 8);
  const note = { none: '', true: ' (each row sums to 1)', pred: ' (each column sums to 1)', all: ' (all cells sum to 1)' }[how];
  const title = options.title ?? `Confusion matrix${note}`;
  const values = normalized(matrix, how);

  const finite = values.flat().filter(Number.isFinite);
  const lo = finite.length === 0 ? 0 : Math.min(0, ...finite);
  const hi = finite.length === 0 ? 1 : Math.max(...finite);
  const scale = (v: number): number => (hi === lo ? 0 : (v - lo) / (hi - lo));

  const longest = Math.max(...names.map((n) => Array.from(n).length));
  const rowLabelWidth = Math.min(200, 10 + 7 * longest);
  const left = 34 + rowLabelWidth; // "True label" + row names
  const top = 44; // title
  const gridSize = K * cell;
  const colLabelHeight = longest > 4 ? Math.min(160, 12 + 5 * longest) : 24; // names turn 45° when long
  const legendX = left + gridSize + 24;
  const titleWidth = 9 * Array.from(title).length; // keep a long title inside the document
  const titleX = Math.max(left + gridSize / 2, titleWidth / 2 + 8);
  const width = Math.max(legendX + 16 + 60, titleX + titleWidth / 2 + 8);
  const height = top + gridSize + colLabelHeight + 30;
  const fontSize = Math.max(9, Math.min(14, Math.floor(cell / 4)));

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`,
  );
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${coord(titleX)}" y="26" text-anchor="middle" font-size="16" font-weight="600">${escapeXml(title)}</text>`);
  out.push('<g class="cells">');
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      const v = values[i][j];
      const { fill, darkText } = blues(scale(v));
      const x = left + j * cell;
      const y = top + i * cell;
      out.push(
        `<rect x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${fill}" stroke="#ffffff"><title>true ${escapeXml(names[i])}, predicted ${escapeXml(names[j])}: ${formatValue(v, digits)}</title></rect>`,
      );
      out.push(
        `<text x="${coord(x + cell / 2)}" y="${coord(y + cell / 2)}" text-anchor="middle" dominant-baseline="central" font-size="${fontSize}" fill="${darkText ? '#111111' : '#ffffff'}">${formatValue(v, digits)}</text>`,
      );
    }
  }
  out.push('</g>');
  out.push(`<rect x="${left}" y="${top}" width="${gridSize}" height="${gridSize}" fill="none" stroke="#444444"/>`);
  // row names (true classes) and column names (predicted classes)
  out.push('<g class="labels">');
  for (let k = 0; k < K; k++) {
    out.push(
      `<text x="${left - 6}" y="${coord(top + k * cell + cell / 2)}" text-anchor="end" dominant-baseline="central">${escapeXml(names[k])}</text>`,
    );
    const cx = coord(left + k * cell + cell / 2);
    const cy = top + gridSize + 8;
    out.push(
      longest > 4
        ? `<text x="${cx}" y="${cy}" text-anchor="end" dominant-baseline="central" transform="rotate(-45 ${cx} ${cy})">${escapeXml(names[k])}</text>`
        : `<text x="${cx}" y="${cy + 8}" text-anchor="middle">${escapeXml(names[k])}</text>`,
    );
  }
  out.push('</g>');
  const axisY = coord(top + gridSize / 2);
  out.push(
    `<text x="14" y="${axisY}" text-anchor="middle" dominant-baseline="central" font-size="13" transform="rotate(-90 14 ${axisY})">True label</text>`,
  );
  out.push(
    `<text x="${coord(left + gridSize / 2)}" y="${top + gridSize + colLabelHeight + 16}" text-anchor="middle" font-size="13">Predicted label</text>`,
  );
  // legend: a vertical colour bar from the smallest (bottom) to the largest (top) value
  out.push('<defs><linearGradient id="cm-scale" x1="0" y1="1" x2="0" y2="0">');
  for (const t of [0, 0.25, 0.5, 0.75, 1]) out.push(`<stop offset="${t}" stop-color="${blues(t).fill}"/>`);
  out.push('</linearGradient></defs>');
  out.push(`<g class="legend"><rect x="${legendX}" y="${top}" width="16" height="${gridSize}" fill="url(#cm-scale)" stroke="#444444"/>`);
  out.push(`<text x="${legendX + 20}" y="${top + 10}">${formatValue(hi, digits)}</text>`);
  out.push(`<text x="${legendX + 20}" y="${top + gridSize}">${formatValue(lo, digits)}</text></g>`);
  out.push('</svg>');
  return out.join('\n');
}

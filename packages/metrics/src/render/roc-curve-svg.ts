import { ShapeError, intInRange } from '@tensorloom/core';
import type { RocCurve, RocCurveResult } from '../classification/types.js';

import { FONT, PALETTE, coord, escapeXml, formatValue } from '../internal/svg.js';

/**
 * Options of {@link rocCurveSvg}.
 *
 * @example
 * ```ts
 * rocCurveSvg(roc, { title: 'Validation ROC', width: 640 });
 * ```
 *
 * @group Rendering
 */
export interface RocCurveSvgOptions {
  /** The title; the AUC is appended in brackets. Default `'ROC curve'`. */
  title?: string;
  /** Width of the document in pixels. Default 560. */
  width?: number;
  /** Height of the document in pixels. Default 480. */
  height?: number;
  /** Decimals of the AUCs. Default 3. */
  digits?: number;
}

const UNIT = 'rocCurveSvg';

/**
 * Renders ROC curves as a standalone SVG document (open it in a browser, or write it to a
 * `.svg` file): each curve as a line from (0, 0) to (1, 1), the chance diagonal dashed,
 * axes "False positive rate" / "True positive rate" with ticks every 0.2, a legend with
 * every curve's AUC, and the AUC in the title (the averaged AUC for several curves).
 *
 * @param roc - what {@link rocCurve} returns, one {@link RocCurve}, or a list of them.
 * @param options - title, size, decimals.
 * @returns the SVG markup, starting with `<svg xmlns=...>`.
 * @throws `ShapeError` when there is no curve or a curve's fpr and tpr differ in length.
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('roc.svg', rocCurveSvg(rocCurve.compute(labels, probs)));
 * ```
 *
 * @group Rendering
 */
export function rocCurveSvg(roc: RocCurveResult | RocCurve | readonly RocCurve[], options: RocCurveSvgOptions = {}): string {
  const curves: readonly RocCurve[] = Array.isArray(roc) ? roc : 'curves' in roc ? roc.curves : [roc as RocCurve];
  if (curves.length === 0) throw new ShapeError(`${UNIT}: roc expected at least one curve, got none`);
  curves.forEach((c, i) => {
    if (c.fpr.length !== c.tpr.length) {
      throw new ShapeError(`${UNIT}: curve ${i} expected fpr and tpr of the same length, got ${c.fpr.length} and ${c.tpr.length}`);
    }
  });
  const width = options.width === undefined ? 560 : intInRange(UNIT, 'width', options.width, 200);
  const height = options.height === undefined ? 480 : intInRange(UNIT, 'height', options.height, 200);
  const digits = options.digits === undefined ? 3 : intInRange(UNIT, 'digits', options.digits, 0, 10);
  const overall = !Array.isArray(roc) && 'curves' in roc ? roc.auc : curves.length === 1 ? curves[0].auc : null;
  const base = options.title ?? (curves.length === 1 ? 'ROC curve' : 'ROC curves');
  const aucLabel = curves.length === 1 || overall === null ? 'AUC' : 'average AUC';
  const title = overall === null ? base : `${base} (${aucLabel} = ${formatValue(overall, digits)})`;

  const m = { left: 64, right: 20, top: 48, bottom: 56 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const side = Math.min(plotW, plotH); // square plot: equal scales on both axes
  const x0 = m.left + (plotW - side) / 2;
  const y0 = m.top + side;
  const X = (v: number): string => coord(x0 + v * side);
  const Y = (v: number): string => coord(y0 - v * side);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="12">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${coord(x0 + side / 2)}" y="28" text-anchor="middle" font-size="16" font-weight="600">${escapeXml(title)}</text>`);
  out.push('<g class="grid" stroke="#e5e5e5">');
  for (let k = 0; k <= 5; k++) {
    const t = k / 5;
    out.push(`<line x1="${X(t)}" y1="${Y(0)}" x2="${X(t)}" y2="${Y(1)}"/>`);
    out.push(`<line x1="${X(0)}" y1="${Y(t)}" x2="${X(1)}" y2="${Y(t)}"/>`);
  }
  out.push('</g>');
  out.push('<g class="ticks">');
  for (let k = 0; k <= 5; k++) {
    const t = k / 5;
    out.push(`<text x="${X(t)}" y="${coord(y0 + 18)}" text-anchor="middle">${t.toFixed(1)}</text>`);
    out.push(`<text x="${coord(x0 - 8)}" y="${Y(t)}" text-anchor="end" dominant-baseline="central">${t.toFixed(1)}</text>`);
  }
  out.push('</g>');
  out.push(`<rect x="${x0}" y="${m.top}" width="${side}" height="${side}" fill="none" stroke="#444444"/>`);
  out.push(`<text x="${coord(x0 + side / 2)}" y="${coord(y0 + 42)}" text-anchor="middle" font-size="13">False positive rate</text>`);
  const midY = coord(m.top + side / 2);
  const labelX = coord(x0 - 46);
  out.push(`<text x="${labelX}" y="${midY}" text-anchor="middle" dominant-baseline="central" font-size="13" transform="rotate(-90 ${labelX} ${midY})">True positive rate</text>`);
  out.push(`<line class="chance" x1="${X(0)}" y1="${Y(0)}" x2="${X(1)}" y2="${Y(1)}" stroke="#888888" stroke-dasharray="6 4"/>`);
  out.push('<g class="curves" fill="none" stroke-width="2">');
  curves.forEach((c, i) => {
    const pts: string[] = [];
    for (let p = 0; p < c.fpr.length; p++) {
      if (Number.isFinite(c.fpr[p]) && Number.isFinite(c.tpr[p])) pts.push(`${X(c.fpr[p])},${Y(c.tpr[p])}`);
    }
    if (pts.length > 0) {
      out.push(`<polyline stroke="${PALETTE[i % PALETTE.length]}" points="${pts.join(' ')}"><title>${escapeXml(c.label)}</title></polyline>`);
    }
  });
  out.push('</g>');
  // legend, bottom-right inside the plot (where ROC curves rarely go)
  const rowH = 18;
  const legendW = Math.min(side - 16, 40 + 7 * Math.max(...curves.map((c) => Array.from(`${c.label} (AUC = 0.000)`).length)));
  const legendH = rowH * (curves.length + 1) + 4;
  const lx = x0 + side - legendW - 8;
  const ly = y0 - legendH - 8;
  out.push(`<g class="legend"><rect x="${coord(lx)}" y="${coord(ly)}" width="${coord(legendW)}" height="${coord(legendH)}" fill="#ffffff" fill-opacity="0.9" stroke="#cccccc"/>`);
  curves.forEach((c, i) => {
    const y = ly + rowH * (i + 1);
    out.push(`<line x1="${coord(lx + 8)}" y1="${coord(y - 4)}" x2="${coord(lx + 30)}" y2="${coord(y - 4)}" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="2"/>`);
    out.push(`<text x="${coord(lx + 36)}" y="${coord(y)}">${escapeXml(c.label)} (AUC = ${formatValue(c.auc, digits)})</text>`);
  });
  const yc = ly + rowH * (curves.length + 1);
  out.push(`<line x1="${coord(lx + 8)}" y1="${coord(yc - 4)}" x2="${coord(lx + 30)}" y2="${coord(yc - 4)}" stroke="#888888" stroke-dasharray="6 4"/>`);
  out.push(`<text x="${coord(lx + 36)}" y="${coord(yc)}">chance (AUC = 0.5)</text></g>`);
  out.push('</svg>');
  return out.join('\n');
}

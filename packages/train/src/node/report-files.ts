import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { History } from '../fit/history.js';
import { reportHtml, reportSvg } from '../report/report.js';
import type { ReportOptions } from '../report/report.js';

/**
 * Renders an SVG to PNG with resvg (a Rust renderer shipped as prebuilt binaries in npm).
 *
 * @param svg - the SVG document.
 * @param options - the scale.
 * @returns the PNG bytes.
 * @example
 * ```ts
 * const png = svgToPng(reportSvg(history), { scale: 2 });
 * ```
 */
export function svgToPng(svg: string, options: PngOptions = {}): Uint8Array {
  const renderer = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 1 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return new Uint8Array(renderer.render().asPng());
}

/**
 * Where {@link writeReport} wrote the report.
 *
 * @example
 * ```ts
 * const paths: ReportPaths = await writeReport('runs/mnist', history);
 * ```
 */
export interface ReportPaths {
  /** The SVG file. */
  svg: string;
  /** The HTML page. */
  html: string;
  /** The PNG image. */
  png: string;
}

/**
 * Options of {@link svgToPng}.
 *
 * @example
 * ```ts
 * const o: PngOptions = { scale: 2 };
 * ```
 */
export interface PngOptions {
  /** Multiplies the pixel size. Default 1. */
  scale?: number;
}

/**
 * Writes `report.svg`, `report.html` and `report.png` for a run into `dir`.
 *
 * @param dir - the output directory (created when missing).
 * @param history - the run's history.
 * @param options - report options.
 * @returns the three paths.
 * @example
 * ```ts
 * const { html } = await writeReport('runs/mnist', history, { title: 'mnist-cnn' });
 * ```
 */
export async function writeReport(dir: string, history: History, options: ReportOptions = {}): Promise<ReportPaths> {
  await mkdir(dir, { recursive: true });
  const svgText = reportSvg(history, options);
  const paths = { svg: join(dir, 'report.svg'), html: join(dir, 'report.html'), png: join(dir, 'report.png') };
  await writeFile(paths.svg, svgText);
  await writeFile(paths.html, reportHtml(history, options));
  await writeFile(paths.png, svgToPng(svgText));
  return paths;
}

import { ConfigError, FormatError } from '@tensorloom/core';
import { History } from '../fit/history.js';

/**
 * Options of {@link reportSvg} and {@link reportHtml}.
 *
 * @example
 * ```ts
 * const o: ReportOptions = { title: 'mnist-cnn', panelWidth: 420 };
 * ```
 */
export interface ReportOptions {
  /** The heading. Default `'Training report'`. */
  title?: string;
  /** Width of one chart in pixels. Default 360. */
  panelWidth?: number;
  /** Height of one chart in pixels. Default 220. */
  panelHeight?: number;
}

interface Series {
  label: string;
  points: [number, number][];
  color: string;
  dashed?: boolean;
  thin?: boolean;
}

interface Panel {
  title: string;
  xLabel: string;
  series: Series[];
  logY: boolean;
}

const TRAIN = '#1f77b4';
const VAL = '#d62728';
const STEP = '#9ecae1';

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : Number(v.toPrecision(3)).toString();
}

/** The charts a history gives: loss, learning rate, then each metric with its validation twin. */
function panels(history: History): Panel[] {
  const epochs = history.epochs;
  const series = (name: string, label: string, color: string, dashed = false): Series | null => {
    const values = history.values[name];
    if (values === undefined) return null;
    const points = values.map((v, i) => [epochs[i]! + 1, v] as [number, number]).filter(([, v]) => Number.isFinite(v));
    return points.length === 0 ? null : { label, points, color, dashed };
  };
  const stepSeries = (name: string, label: string): Series | null => {
    const perEpoch = history.steps.length === 0 ? 0 : history.steps.filter((s) => s.epoch === history.steps[0]!.epoch).length;
    const points = history.steps
      .filter((s) => Number.isFinite(s.values[name]))
      .map((s) => [perEpoch > 0 ? s.step / perEpoch + 1 / perEpoch : s.step, s.values[name]!] as [number, number]);
    return points.length === 0 ? null : { label, points, color: STEP, thin: true };
  };
  const out: Panel[] = [];
  const loss = [stepSeries('loss', 'train (per step)'), series('loss', 'train', TRAIN), series('val.loss', 'validation', VAL, true)].filter(
    (s): s is Series => s !== null,
  );
  if (loss.length > 0) out.push({ title: 'loss', xLabel: 'epoch', series: loss, logY: false });
  const lr = [stepSeries('lr', 'per step'), series('lr', 'epoch end', TRAIN)].filter((s): s is Series => s !== null);
  if (lr.length > 0) out.push({ title: 'learning rate', xLabel: 'epoch', series: lr, logY: false });
  const skip = new Set(['loss', 'lr', 'size']);
  for (const name of Object.keys(history.values)) {
    if (skip.has(name) || name.startsWith('val.')) continue;
    const s = [series(name, 'train', TRAIN), series(`val.${name}`, 'validation', VAL, true)].filter((x): x is Series => x !== null);
    if (s.length > 0) out.push({ title: name, xLabel: 'epoch', series: s, logY: false });
  }
  for (const name of Object.keys(history.values)) {
    if (!name.startsWith('val.') || name === 'val.loss' || history.values[name.slice(4)] !== undefined) continue;
    const s = series(name, 'validation', VAL, true);
    if (s !== null) out.push({ title: name.slice(4), xLabel: 'epoch', series: [s], logY: false });
  }
  return out;
}

function panelSvg(panel: Panel, x0: number, y0: number, w: number, h: number): string {
  const left = 52;
  const right = 12;
  const top = 26;
  const bottom = 34;
  const all = panel.series.flatMap((s) => s.points);
  let [xMin, xMax] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [yMin, yMax] = [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  if (xMin === xMax) [xMin, xMax] = [xMin - 1, xMax + 1];
  if (yMin === yMax) [yMin, yMax] = [yMin - Math.abs(yMin || 1) * 0.1, yMax + Math.abs(yMax || 1) * 0.1];
  const pad = (yMax - yMin) * 0.05;
  yMin -= pad;
  yMax += pad;
  const pw = w - left - right;
  const ph = h - top - bottom;
  const sx = (x: number): number => x0 + left + ((x - xMin) / (xMax - xMin)) * pw;
  const sy = (y: number): number => y0 + top + ph - ((y - yMin) / (yMax - yMin)) * ph;
  const parts: string[] = [];
  parts.push(`<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="#fff" stroke="#ddd"/>`);
  parts.push(`<text x="${x0 + w / 2}" y="${y0 + 17}" text-anchor="middle" font-size="13" font-weight="bold">${escape(panel.title)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const yv = yMin + ((yMax - yMin) * i) / 4;
    const y = sy(yv).toFixed(1);
    parts.push(`<line x1="${x0 + left}" x2="${x0 + left + pw}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    parts.push(`<text x="${x0 + left - 4}" y="${y}" text-anchor="end" dominant-baseline="middle" font-size="10" fill="#555">${fmt(yv)}</text>`);
  }
  const xTicks = Math.min(6, Math.max(1, Math.round(xMax - xMin)));
  for (let i = 0; i <= xTicks; i++) {
    const xv = xMin + ((xMax - xMin) * i) / xTicks;
    parts.push(`<text x="${sx(xv).toFixed(1)}" y="${y0 + top + ph + 14}" text-anchor="middle" font-size="10" fill="#555">${fmt(xv)}</text>`);
  }
  parts.push(`<text x="${x0 + left + pw / 2}" y="${y0 + h - 4}" text-anchor="middle" font-size="10" fill="#555">${escape(panel.xLabel)}</text>`);
  parts.push(`<rect x="${x0 + left}" y="${y0 + top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>`);
  panel.series.forEach((s, i) => {
    const d = s.points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    const dash = s.dashed ? ' stroke-dasharray="5,3"' : '';
    parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.thin ? 1 : 2}"${dash}/>`);
    if (!s.thin && s.points.length <= 60) {
      for (const [x, y] of s.points) parts.push(`<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
    }
    const ly = y0 + top + 12 + i * 13;
    parts.push(`<line x1="${x0 + w - right - 110}" x2="${x0 + w - right - 94}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${dash}/>`);
    parts.push(`<text x="${x0 + w - right - 90}" y="${ly}" dominant-baseline="middle" font-size="10">${escape(s.label)}</text>`);
  });
  return parts.join('');
}

function checkOptions(unit: string, options: ReportOptions): { title: string; w: number; h: number } {
  const w = options.panelWidth ?? 360;
  const h = options.panelHeight ?? 220;
  for (const [k, v] of [['panelWidth', w], ['panelHeight', h]] as const) {
    if (!(Number.isFinite(v) && v >= 120)) throw new ConfigError(`${unit}: ${k} expected a number >= 120, got ${String(v)}`);
  }
  return { title: options.title ?? 'Training report', w, h };
}

/**
 * A standalone SVG of the training curves: loss (train per epoch, per step when it was
 * read, validation), learning rate, and each metric with its validation twin, two charts to
 * a row.
 *
 * @param history - what {@link fit} returned, or {@link historyFromJsonl} of a log.
 * @param options - title and chart size.
 * @returns the SVG document as a string.
 * @throws ConfigError when the history has no values.
 * @example
 * ```ts
 * const svg = reportSvg(history, { title: 'mnist-cnn' });
 * ```
 */
export function reportSvg(history: History, options: ReportOptions = {}): string {
  const { title, w, h } = checkOptions('reportSvg', options);
  const list = panels(history);
  if (list.length === 0) throw new ConfigError('reportSvg: history expected at least one epoch of values, got none');
  const cols = Math.min(2, list.length);
  const rows = Math.ceil(list.length / cols);
  const gap = 10;
  const width = cols * w + (cols + 1) * gap;
  const height = 36 + rows * (h + gap) + gap;
  const body = list.map((p, i) => panelSvg(p, gap + (i % cols) * (w + gap), 36 + Math.floor(i / cols) * (h + gap), w, h)).join('\n');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">\n` +
    `<rect width="${width}" height="${height}" fill="#fafafa"/>\n` +
    `<text x="${gap}" y="24" font-size="16" font-weight="bold">${escape(title)}</text>\n${body}\n</svg>\n`
  );
}

/**
 * A self-contained HTML page (no scripts, no external files): the curves of
 * {@link reportSvg} inline and a table of every epoch's values.
 *
 * @param history - the run's history.
 * @param options - title and chart size.
 * @returns the HTML document as a string.
 * @example
 * ```ts
 * const html = reportHtml(history, { title: 'mnist-cnn' });
 * ```
 */
export function reportHtml(history: History, options: ReportOptions = {}): string {
  const { title } = checkOptions('reportHtml', options);
  const svg = reportSvg(history, options);
  const names = Object.keys(history.values).filter((n) => n !== 'size');
  const header = ['epoch', ...names].map((n) => `<th>${escape(n)}</th>`).join('');
  const rows = history.epochs
    .map((e, i) => `<tr><td>${e}</td>${names.map((n) => `<td>${Number.isFinite(history.values[n]![i]!) ? fmt(history.values[n]![i]!) : ''}</td>`).join('')}</tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:Helvetica,Arial,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin-top:16px}td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}th{background:#f3f3f3}</style>
</head><body>
<h1>${escape(title)}</h1>
<p>${history.epochs.length} epoch(s)${history.steps.length > 0 ? `, ${history.steps.length} logged steps` : ''}. Solid: training; dashed: validation.</p>
${svg}
<table><thead><tr>${header}</tr></thead><tbody>
${rows}
</tbody></table>
</body></html>
`;
}

/**
 * Rebuilds a {@link History} from the text `callbacks.jsonlLogger` wrote, so a report can be
 * drawn from a log after the run (or from a crashed run's log).
 *
 * @param text - the JSONL text.
 * @returns the history (epochs and steps).
 * @throws FormatError naming the line that is not JSON.
 * @example
 * ```ts
 * const history = historyFromJsonl(readFileSync('runs/mnist/log.jsonl', 'utf8'));
 * writeFileSync('runs/mnist/report.html', reportHtml(history));
 * ```
 */
export function historyFromJsonl(text: string): History {
  const history = new History();
  const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN);
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (cause) {
      throw new FormatError(`historyFromJsonl: line ${i + 1} expected a JSON object, got ${JSON.stringify(line.slice(0, 40))}`, { cause });
    }
    const { type, epoch, step, batch: _batch, ...rest } = row;
    const values = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, num(v)]));
    if (type === 'epoch') history.addEpoch(num(epoch), values);
    else if (type === 'step') history.addStep(num(step), num(epoch), values);
  });
  return history;
}

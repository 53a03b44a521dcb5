// Training curves of a History as report sections (SVG line charts, train and validation).
import type { History } from '@tensorloom/train';
import type { ReportSection } from './report.js';

const COLOURS = ['#4878d0', '#ee854a', '#6acc64', '#d65f5f'];

/** A line chart of named series over epochs. */
export function lineChartSvg(title: string, epochs: readonly number[], series: Record<string, readonly number[]>): string {
  const width = 420;
  const height = 240;
  const m = { left: 52, top: 26, right: 110, bottom: 34 };
  const values = Object.values(series).flat().filter(Number.isFinite);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = high - low || 1;
  const first = epochs[0] ?? 0;
  const last = epochs.at(-1) ?? 1;
  const x = (e: number): number => m.left + ((e - first) / (last - first || 1)) * (width - m.left - m.right);
  const y = (v: number): number => m.top + (1 - (v - low) / span) * (height - m.top - m.bottom);
  const lines = Object.entries(series)
    .map(([name, ys], k) => {
      const colour = COLOURS[k % COLOURS.length]!;
      const points = ys.map((v, i) => `${x(epochs[i]!).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
      const ly = m.top + 14 * k + 8;
      return `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${points}"/>${ys
        .map((v, i) => `<circle cx="${x(epochs[i]!).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${colour}"><title>${name} epoch ${epochs[i]! + 1}: ${v.toFixed(4)}</title></circle>`)
        .join('')}<line x1="${width - m.right + 10}" x2="${width - m.right + 24}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/><text x="${width - m.right + 28}" y="${ly + 4}">${name}</text>`;
    })
    .join('');
  const ticks = [low, low + span / 2, high].map((v) => `<text x="${m.left - 6}" y="${y(v) + 4}" text-anchor="end">${v.toPrecision(3)}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<text x="${(width - m.right) / 2 + m.left / 2}" y="16" text-anchor="middle" font-size="13">${title}</text>
<rect x="${m.left}" y="${m.top}" width="${width - m.left - m.right}" height="${height - m.top - m.bottom}" fill="none" stroke="#ccc"/>
${ticks}<text x="${x(first)}" y="${height - 16}" text-anchor="middle">${first + 1}</text><text x="${x(last)}" y="${height - 16}" text-anchor="middle">${last + 1}</text>
<text x="${(width - m.right) / 2 + m.left / 2}" y="${height - 4}" text-anchor="middle">epoch</text>${lines}
</svg>`;
}

/** Loss and accuracy curves (train and validation) of a run, and its learning rate. */
export function historySections(history: History, title = 'Training'): ReportSection[] {
  const pick = (names: string[]): Record<string, number[]> =>
    Object.fromEntries(names.filter((n) => history.get(n).length > 0).map((n) => [n, history.get(n)]));
  const charts = [
    lineChartSvg('loss', history.epochs, pick(['loss', 'val.loss'])),
    lineChartSvg('accuracy', history.epochs, pick(['accuracy', 'val.accuracy'])),
  ];
  if (history.get('lr').length > 0) charts.push(lineChartSvg('learning rate', history.epochs, pick(['lr'])));
  return [{ title, note: 'Per epoch: the mean over the epoch\'s steps for train, one pass for validation.', html: charts.join('') }];
}

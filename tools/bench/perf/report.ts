// Tables, the JSON file and the SVG chart of tools/bench/perf.ts.

/** One training measurement, as the JSON file stores it. */
export interface TrainingRow {
  task: string;
  label: string;
  backend: string;
  impl: 'tensorloom' | 'tfjs-layers' | 'pytorch';
  samplesPerSec: number | null;
  samplesPerCpuSec: number | null;
  peakRssMb: number | null;
  /** Why there is no figure (cannot train there, skipped, not installed). */
  note?: string;
  /** Steps timed per repeat. */
  steps?: number[];
}

/** A markdown table with numeric columns right-aligned. */
export function table(header: string[], rows: string[][], numericFrom: number): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i >= numericFrom ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i >= numericFrom ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const fmt = (x: number | null) => (x === null ? '—' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const ratio = (a: number | null, b: number | null) => (a === null || b === null || b === 0 ? '—' : `${(a / b).toFixed(2)}×`);

/** The impl and backend of a row as the table prints it. */
export function sideName(r: TrainingRow): string {
  if (r.impl === 'pytorch') return 'PyTorch (2 threads)';
  if (r.impl === 'tfjs-layers') return `tfjs-layers, stock ${r.backend}`;
  return `Tensorloom on ${r.backend}`;
}

/** The reference rows of a task: PyTorch, and the fastest stock tfjs-layers row that trains. */
export function references(rows: TrainingRow[], task: string): { torch?: TrainingRow; tfjs?: TrainingRow } {
  const mine = rows.filter((r) => r.task === task && r.samplesPerSec !== null);
  const torch = mine.find((r) => r.impl === 'pytorch');
  const tfjs = mine.filter((r) => r.impl === 'tfjs-layers').sort((a, b) => (b.samplesPerSec as number) - (a.samplesPerSec as number))[0];
  return { torch, tfjs };
}

/** The training table: one row per task and side, with ratios against PyTorch and tfjs-layers. */
export function trainingTable(rows: TrainingRow[]): string {
  const body: string[][] = [];
  const notes: string[] = [];
  for (const task of [...new Set(rows.map((r) => r.task))]) {
    const { torch, tfjs } = references(rows, task);
    for (const r of rows.filter((x) => x.task === task)) {
      let mark = '';
      if (r.note !== undefined) {
        notes.push(`${r.label}, ${sideName(r)}: ${r.note}`);
        mark = ` (${notes.length})`;
      }
      body.push([
        r.label,
        sideName(r) + mark,
        fmt(r.samplesPerSec),
        fmt(r.samplesPerCpuSec),
        r.peakRssMb === null ? '—' : Math.round(r.peakRssMb).toString(),
        ratio(r.samplesPerSec, torch?.samplesPerSec ?? null),
        ratio(r.samplesPerCpuSec, torch?.samplesPerCpuSec ?? null),
        ratio(r.samplesPerSec, tfjs?.samplesPerSec ?? null),
        ratio(r.samplesPerCpuSec, tfjs?.samplesPerCpuSec ?? null),
      ]);
    }
  }
  const t = table(
    ['task', 'implementation', 'samples (tokens)/s', 'per CPU s', 'peak RSS MB', '/ PyTorch', '/ PyTorch per CPU s', '/ tfjs-layers', '/ tfjs-layers per CPU s'],
    body,
    2,
  );
  return [t, '', ...notes.map((n, i) => `(${i + 1}) ${n}`)].join('\n');
}

/** A horizontal bar chart of samples/s relative to PyTorch, per task and side (SVG). */
export function ratioChart(rows: TrainingRow[], title: string): string {
  const bars: { label: string; value: number; impl: string }[] = [];
  const groups: { task: string; start: number }[] = [];
  for (const task of [...new Set(rows.map((r) => r.task))]) {
    const { torch } = references(rows, task);
    if (torch === undefined) continue;
    groups.push({ task: rows.find((r) => r.task === task)?.label ?? task, start: bars.length });
    for (const r of rows.filter((x) => x.task === task && x.impl !== 'pytorch' && x.samplesPerSec !== null)) {
      bars.push({ label: sideName(r), value: (r.samplesPerSec as number) / (torch.samplesPerSec as number), impl: r.impl });
    }
  }
  const rowH = 18;
  const groupH = 22;
  const left = 210;
  const width = 760;
  const plotW = width - left - 60;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const x = (v: number) => left + (v / max) * plotW;
  const parts: string[] = [];
  let y = 40;
  let bi = 0;
  for (const [gi, g] of groups.entries()) {
    const end = groups[gi + 1]?.start ?? bars.length;
    parts.push(`<text x="8" y="${y + 14}" font-weight="bold">${escape(g.task)}</text>`);
    y += groupH;
    for (; bi < end; bi++) {
      const b = bars[bi] as { label: string; value: number; impl: string };
      const color = b.impl === 'tensorloom' ? (b.label.endsWith('native') ? '#1f77b4' : '#6baed6') : '#ff7f0e';
      parts.push(
        `<text x="${left - 6}" y="${y + 13}" text-anchor="end">${escape(b.label)}</text>`,
        `<rect x="${left}" y="${y + 2}" width="${Math.max(1, x(b.value) - left).toFixed(1)}" height="${rowH - 4}" fill="${color}"/>`,
        `<text x="${(x(b.value) + 4).toFixed(1)}" y="${y + 13}">${b.value.toFixed(2)}×</text>`,
      );
      y += rowH;
    }
    y += 6;
  }
  const one = x(1).toFixed(1);
  parts.push(`<line x1="${one}" y1="34" x2="${one}" y2="${y}" stroke="#444" stroke-dasharray="4 3"/>`, `<text x="${one}" y="${y + 14}" text-anchor="middle">PyTorch = 1</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 24}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

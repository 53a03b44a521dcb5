// The text table of Module.summary. It imports nothing from module.ts (module.ts imports
// it), so the counts it prints are described here structurally.
import { formatShape } from '@tensorloom/core';

/** The totals printed under the table (Module's `ParamCounts` has this shape). */
interface SummaryCounts {
  trainable: number;
  nonTrainable: number;
  total: number;
}

function shapeText(shape: unknown): string {
  if (shape === null || shape === undefined) return '?';
  if (Array.isArray(shape) && shape.every((d) => d === null || typeof d === 'number')) return formatShape(shape);
  if (Array.isArray(shape)) return shape.map(shapeText).join(', ');
  return Object.entries(shape as object).map(([k, v]) => `${k}: ${shapeText(v)}`).join(', ');
}

/**
 * Renders the table of {@link Module.summary}.
 *
 * @group Modules
 */
export function formatSummary(
  title: string,
  rows: { name: string; outputShape: unknown; params: number }[],
  counts: SummaryCounts,
  outputShape: unknown,
): string {
  const header = ['Layer (type)', 'Output shape', 'Param #'];
  const body = rows.map((r) => [r.name, shapeText(r.outputShape), r.params.toLocaleString('en-US')]);
  if (rows.length === 0) body.push([title, shapeText(outputShape), counts.total.toLocaleString('en-US')]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('   ');
  const rule = (ch: string): string => ch.repeat(widths.reduce((a, b) => a + b, 0) + 6);
  return [
    `Model: ${title}`,
    rule('='),
    line(header),
    rule('='),
    ...body.map(line),
    rule('='),
    `Total params: ${counts.total.toLocaleString('en-US')}`,
    `Trainable params: ${counts.trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${counts.nonTrainable.toLocaleString('en-US')}`,
    rule('_'),
  ].join('\n');
}

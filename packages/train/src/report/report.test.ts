import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rng, tf } from '@tensorloom/core';
import { Dense, Sequential } from '@tensorloom/layers';
import { meanAbsoluteError } from '@tensorloom/metrics';
import { meanSquaredError } from '../losses/mean-squared-error.js';
import { sgd } from '../optimizers/sgd.js';
import { jsonlLogger } from '../callbacks/loggers.js';
import { fit } from '../fit/fit.js';
import { History } from '../fit/history.js';
import { writeReport } from '../node/report-files.js';
import { historyFromJsonl, reportHtml, reportSvg } from './report.js';

const root = mkdtempSync(join(tmpdir(), 'tl-train-report-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('report', () => {
  it('places the points of a curve where the axes say', () => {
    const h = new History();
    h.addEpoch(0, { loss: 1 });
    h.addEpoch(1, { loss: 0.5 });
    const svg = reportSvg(h);
    // Panel at (10, 36), 360×220; plot from x 62 to 358, y 62 to 222; y range 0.475…1.025.
    expect(svg).toContain('<path d="M62.0,69.3 L358.0,214.7" fill="none" stroke="#1f77b4" stroke-width="2"/>');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="380" height="276"')).toBe(true);
    expect(() => reportSvg(new History())).toThrow('reportSvg: history expected at least one epoch of values, got none');
  });

  it('draws loss, learning rate and metric curves from fit, and reads the same history back from the JSONL log', async () => {
    const model = new Sequential([new Dense({ units: 1 })]).build([null, 2], rng(1));
    const data = [0, 1].map((i) => ({ x: tf.tensor2d([[i, 1], [1, -i]]), y: tf.tensor2d([[1], [0]]) }));
    const lines: string[] = [];
    const history = await fit(model, data, {
      loss: meanSquaredError(),
      optimizer: sgd({ learningRate: 0.05 }),
      epochs: 3,
      metrics: { mae: meanAbsoluteError() },
      validation: data,
      callbacks: [jsonlLogger({ sink: (c) => void lines.push(String(c)) })],
    });
    const back = historyFromJsonl(lines.join(''));
    expect(back.epochs).toEqual(history.epochs);
    expect(back.values).toEqual(history.values);
    expect(back.steps.map((s) => s.values['loss'])).toEqual(history.steps.map((s) => s.values['loss']));
    const svg = reportSvg(history, { title: 'tiny <run>' });
    for (const title of ['loss', 'learning rate', 'mae']) expect(svg).toContain(`font-weight="bold">${title}</text>`);
    expect(svg).toContain('tiny &lt;run&gt;');
    expect(svg.match(/stroke-dasharray/g)!.length).toBe(4); // val.loss and val.mae: path + legend each
    const html = reportHtml(history);
    expect(html).toContain('<th>val.mae</th>');
    expect(html).not.toMatch(/<script|src=|href=/);
    const paths = await writeReport(join(root, 'r'), history);
    const png = readFileSync(paths.png);
    expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(svg).toContain(`width="${w}" height="${h}"`);
    data.forEach((b) => tf.dispose([b.x, b.y]));
    model.dispose();
  });
});

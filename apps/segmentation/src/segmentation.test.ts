// Smoke test of the app: a few steps on a small slice of the canvases, then every command on the result.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tf } from '@tensorloom/core';
import { decodeImage, writePng } from '@tensorloom/data/node';
import { mnistSegmentation } from '@tensorloom/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun } from './commands/evaluate.js';
import { predictMask } from './commands/predict.js';
import { train } from './commands/train.js';
import { PALETTE } from './evaluation.js';

const run = promisify(execFile);
/** A tiny U-Net on 48 canvases, three epochs of 8 steps; patience above the epochs, so it never stops early. */
const TINY = {
  epochs: 3, batchSize: 6, lr: 1e-2, weightDecay: 1e-4, warmupEpochs: 0, patience: 4, baseFilters: 8, depth: 2,
  limit: 48, backend: 'wasm', seed: 3,
} as const;
const cli = join(import.meta.dirname, 'cli.ts');
let root: string;
let dir: string;
let leaked: number;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'segmentation-'));
  dir = join(root, 'run');
  const before = tf.memory().numTensors;
  await train({ ...TINY, out: dir });
  leaked = tf.memory().numTensors - before;
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('train', () => {
  it('writes the run folder: model, config, checkpoints, log, metrics and report', async () => {
    for (const file of ['config.json', 'model.safetensors', 'log.jsonl', 'metrics.json', 'report.html']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    expect((await readdir(join(dir, 'checkpoints'))).length).toBeGreaterThan(0);
  });

  it('leaves no tensor behind (batches, logits kept for the metric, checkpoint copies)', () => {
    expect(leaked).toBe(0);
  });

  it('lowers the loss: the last epoch mean is below the first steps', async () => {
    const steps = (await readFile(join(dir, 'log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; loss?: number; epoch: number })
      .filter((r) => r.type === 'step');
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(steps.slice(0, 2).map((s) => s.loss!));
    const lastEpoch = Math.max(...steps.map((s) => s.epoch));
    const last = mean(steps.filter((s) => s.epoch === lastEpoch).map((s) => s.loss!));
    // At the start: cross-entropy ≈ ln 11 ≈ 2.4 plus a Dice loss near 1.
    expect(first).toBeGreaterThan(2.5);
    expect(last).toBeLessThan(first * 0.85);
  });

  it('writes a report that parses: balanced tags, the sections, every picture a decodable PNG', async () => {
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const tag of ['html', 'body', 'svg', 'section', 'table', 'p', 'span']) {
      const opened = html.match(new RegExp(`<${tag}[\\s>]`, 'g'))?.length ?? 0;
      const closed = html.match(new RegExp(`</${tag}>`, 'g'))?.length ?? 0;
      expect(closed, tag).toBe(opened);
    }
    for (const title of ['Training', 'Per-class IoU', 'mean over the 10 digits', 'mean over all 11', 'input, true mask, predicted mask']) {
      expect(html).toContain(title);
    }
    const pngs = [...html.matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1]!, 'base64'));
    expect(pngs.length).toBe(1);
    const grid = decodeImage(pngs[0]!, { channels: 3 }, 'report png');
    expect(grid.shape).toEqual([2 + 6 * 66, 2 + 6 * 66, 3]); // 12 canvases × 3 tiles of 64 px, 6 a row, 2 px gutters
    grid.dispose();
  });
});

describe('train --resume', () => {
  it("continues from the last checkpoint left and ends where the uninterrupted run ended", async () => {
    // A copy of the run that lost its last epoch: the newest checkpoint, the model, the figures.
    const copy = join(root, 'resumed');
    await cp(dir, copy, { recursive: true });
    const checkpoints = (await readdir(join(copy, 'checkpoints'))).sort();
    expect(checkpoints.length).toBe(2); // keepLast 2: after epochs 2 and 3
    await rm(join(copy, 'checkpoints', checkpoints.at(-1)!), { recursive: true });
    for (const file of ['model.safetensors', 'metrics.json', 'report.html']) await rm(join(copy, file));
    const { figures } = await train({ ...TINY, resume: copy });
    const saved = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as unknown;
    expect(JSON.parse(JSON.stringify(figures))).toEqual(saved);
    const epochs = (await readFile(join(copy, 'log.jsonl'), 'utf8')).trim().split('\n').filter((l) => l.includes('"type":"epoch"'));
    expect(epochs).toHaveLength(4); // three of the first run, the third again from the resume
  }, 60_000);
});

describe('evaluate', () => {
  it("reproduces the run's test figures exactly from the saved model", async () => {
    const { figures, reproduced } = await evaluateRun({ run: dir, backend: 'wasm' });
    expect(reproduced).toBe(true);
    const saved = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as { meanIoUDigits: number; perClass: unknown[] };
    expect(figures.meanIoUDigits).toBe(saved.meanIoUDigits);
    expect(saved.perClass).toHaveLength(11);
  });
});

describe('predict', () => {
  it('resizes an RGB image of another size, says so, and writes a palette-coloured mask of the input size', async () => {
    const { test } = await mnistSegmentation.load({ trainCount: 1, testCount: 1 });
    const file = join(root, 'canvas.png');
    const rgb = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(test.images, [1, 64, 64, 1]), [80, 96]).squeeze([0]).tile([1, 1, 3]));
    await writePng(file, rgb);
    rgb.dispose();
    const out = join(root, 'mask.png');
    const p = await predictMask({ path: file, run: dir, out, backend: 'wasm' });
    expect(p.converted).toEqual(['resized from 96×80 to 64×64, the mask back to 96×80']);
    expect(Object.values(p.pixels).reduce((a, b) => a + b, 0)).toBe(64 * 64);
    const mask = decodeImage(await readFile(out), { channels: 3, dtype: 'int32' }, out);
    expect(mask.shape).toEqual([80, 96, 3]);
    const values = mask.dataSync();
    mask.dispose();
    const palette = new Set(PALETTE.map((c) => c.map((v) => Math.round(v * 255)).join(',')));
    for (let i = 0; i < values.length; i += 3) expect(palette.has(`${values[i]},${values[i + 1]},${values[i + 2]}`)).toBe(true);
  });
});

describe('the command line', () => {
  it('lists every flag with its default in --help', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, 'train', '--help']);
    for (const flag of ['--epochs', '--batch-size', '--lr', '--base-filters', '--depth', '--limit', '--backend', '--seed', '--out', '--resume']) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toMatch(/--epochs <n>[^-]*\(default: 8\)/);
  });

  it('rejects a bad value with one line and exit code 2', async () => {
    const error = await run(process.execPath, ['--import', 'tsx', cli, 'train', '--depth', '0']).catch((e: unknown) => e);
    const { code, stderr } = error as { code: number; stderr: string };
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("segmentation: option '--depth <n>' argument '0' is invalid. expected a whole number ≥ 1.");
  });
});

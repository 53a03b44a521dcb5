// Smoke test of the app: a few steps on a small slice of MNIST, then every command on the result.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tf } from '@tensorloom/core';
import { decodeImage, writePng } from '@tensorloom/data/node';
import { mnist } from '@tensorloom/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun } from './commands/evaluate.js';
import { finetune } from './commands/finetune.js';
import { predictFiles } from './commands/predict.js';
import { pretrainAutoencoder } from './commands/pretrain-ae.js';
import { train } from './commands/train.js';

const run = promisify(execFile);
const cli = join(import.meta.dirname, 'cli.ts');
let root: string;
let dir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'image-classification-'));
  dir = join(root, 'run');
  await train({
    dataset: 'mnist', model: 'lenet5', epochs: 3, batchSize: 32, lr: 3e-3, weightDecay: 1e-4, warmupEpochs: 0.5,
    patience: 3, limit: 320, backend: 'wasm', seed: 7, out: dir,
  });
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

  it('lowers the loss: the last epoch mean is well below the first steps', async () => {
    const steps = (await readFile(join(dir, 'log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; loss?: number; epoch: number })
      .filter((r) => r.type === 'step');
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(steps.slice(0, 3).map((s) => s.loss!));
    const lastEpoch = Math.max(...steps.map((s) => s.epoch));
    const last = mean(steps.filter((s) => s.epoch === lastEpoch).map((s) => s.loss!));
    expect(first).toBeGreaterThan(2); // ≈ ln 10 at the start: ten classes, no idea yet
    expect(last).toBeLessThan(first * 0.8);
  });

  it('writes a report that parses: balanced tags, every picture a decodable PNG or an SVG', async () => {
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    for (const tag of ['html', 'body', 'svg', 'section', 'table', 'figure']) {
      const opened = html.match(new RegExp(`<${tag}[\\s>]`, 'g'))?.length ?? 0;
      const closed = html.match(new RegExp(`</${tag}>`, 'g'))?.length ?? 0;
      expect(closed, tag).toBe(opened);
    }
    for (const title of ['Training', 'Confusion matrix', 'Per-class precision', 'Calibration', 'Most confidently misclassified', 'What the network looks at']) {
      expect(html).toContain(title);
    }
    const pngs = [...html.matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1]!, 'base64'));
    expect(pngs.length).toBeGreaterThan(3);
    for (const png of pngs) decodeImage(png, { channels: 3 }, 'report png').dispose();
  });
});

describe('evaluate', () => {
  it("reproduces the run's test figures exactly from the saved model", async () => {
    const { figures, reproduced } = await evaluateRun({ run: dir, backend: 'wasm' });
    expect(reproduced).toBe(true);
    const saved = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as { accuracy: number };
    expect(figures.accuracy).toBe(saved.accuracy);
  });
});

describe('predict', () => {
  it('reads an image of another size and channel count and gives the top 3 with probabilities', async () => {
    const { test } = await mnist.load({ limit: 1 });
    const file = join(root, 'digit.png');
    const rgb = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(test.images, [1, 28, 28, 1]), [40, 40]).squeeze([0]).tile([1, 1, 3]));
    await writePng(file, rgb);
    rgb.dispose();
    const [prediction] = await predictFiles({ path: file, run: dir, top: 3, backend: 'wasm' });
    expect(prediction!.top).toHaveLength(3);
    expect(prediction!.converted).toEqual(['converted to grey', 'resized from 40×40 to 28×28']);
    const total = prediction!.top.reduce((s, t) => s + t.probability, 0);
    expect(total).toBeLessThanOrEqual(1 + 1e-6);
    expect(prediction!.top[0]!.probability).toBeGreaterThanOrEqual(prediction!.top[1]!.probability);
  });
});

describe('finetune', () => {
  it('reuses the backbone, trains a new head, and reports against training from scratch', async () => {
    const result = await finetune({
      from: dir, dataset: 'mnist', labels: 50, headEpochs: 1, tuneEpochs: 1, lr: 3e-3, batchSize: 25, backend: 'wasm', seed: 1,
      out: join(root, 'finetune'),
    });
    expect(existsSync(join(result.dir, 'report.html'))).toBe(true);
    expect(result.transfer).toBeGreaterThan(0);
    expect(result.scratch).toBeGreaterThan(0);
  }, 120_000);
});

describe('pretrain-ae', () => {
  it('pretrains the backbone as an autoencoder on unlabelled images; finetune takes the folder, on digits 5–9 only', async () => {
    const ae = join(root, 'ae');
    const before = tf.memory().numTensors;
    await pretrainAutoencoder({ dataset: 'mnist', model: 'lenet5', epochs: 2, batchSize: 32, lr: 3e-3, limit: 320, backend: 'wasm', seed: 3, out: ae });
    expect(tf.memory().numTensors).toBe(before);
    const epochs = (await readFile(join(ae, 'log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; loss?: number })
      .filter((r) => r.type === 'epoch');
    expect(epochs).toHaveLength(2);
    expect(epochs[1]!.loss!).toBeLessThan(epochs[0]!.loss!);
    await expect(evaluateRun({ run: ae, backend: 'wasm' })).rejects.toThrow(/autoencoder-pretrained backbone without a head/);

    const result = await finetune({
      from: ae, dataset: 'mnist', classes: [5, 6, 7, 8, 9], labels: 25, headEpochs: 1, tuneEpochs: 1, lr: 3e-3, batchSize: 25, backend: 'wasm', seed: 1,
      out: join(root, 'finetune-ae'),
    });
    expect(tf.memory().numTensors).toBe(before);
    const config = JSON.parse(await readFile(join(result.dir, 'config.json'), 'utf8')) as { classNames: string[]; labels: number };
    expect(config.classNames).toEqual(['5', '6', '7', '8', '9']);
    expect(config.labels).toBe(25);
    expect((await evaluateRun({ run: result.dir, backend: 'wasm' })).reproduced).toBe(true);
  }, 120_000);
});

describe('the command line', () => {
  it('lists every flag with its default in --help', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, 'train', '--help']);
    for (const flag of ['--dataset', '--model', '--epochs', '--batch-size', '--lr', '--backend', '--seed', '--out', '--resume']) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain('(default: 20)');
  });

  it('rejects a bad value with one line and exit code 2', async () => {
    const error = await run(process.execPath, ['--import', 'tsx', cli, 'train', '--epochs', 'abc']).catch((e: unknown) => e);
    const { code, stderr } = error as { code: number; stderr: string };
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("image-classification: option '--epochs <n>' argument 'abc' is invalid. expected a whole number ≥ 1.");
  });
});

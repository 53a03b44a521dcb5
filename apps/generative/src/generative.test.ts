// Smoke test of the generative app: a few steps of each model on a small slice, evaluate
// (the VAE's figure reproduced, samples scored by a tiny classifier folder made here), sample.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { rng, useBackend } from '@tensorloom/core';
import { saveSafetensors } from '@tensorloom/core/node';
import { decodeImage } from '@tensorloom/data/node';
import { lenet5Relu } from '@tensorloom/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRun } from './evaluate.js';
import type { RunMetrics } from './report.js';
import { sample } from './sample.js';
import { trainGenerative } from './train.js';

let root: string;
let classifier: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'generative-'));
  // A classifier folder as 'image-classification train' writes it: an untrained LeNet-5 is enough to exercise the scoring.
  await useBackend('wasm');
  classifier = join(root, 'classifier');
  await mkdir(classifier);
  const model = lenet5Relu({ inputSize: 28, inputChannels: 1, classes: 10 }).build([null, 28, 28, 1], rng(3));
  await saveSafetensors(join(classifier, 'model.safetensors'), model.state());
  model.dispose();
  const classNames = Array.from({ length: 10 }, (_, k) => String(k));
  await writeFile(join(classifier, 'config.json'), JSON.stringify({ dataset: 'mnist', spec: { architecture: 'lenet5', classes: 10, inputShape: [28, 28, 1] }, classNames }));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const epochLosses = async (dir: string, key: string): Promise<number[]> =>
  (await readFile(join(dir, 'log.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, number | string>)
    .filter((r) => r.type === 'epoch')
    .map((r) => r[key] as number);

describe.each(['vae', 'dcgan'] as const)('generative %s', (model) => {
  it('trains, writes the run folder and a report that parses, and samples from the saved weights', async () => {
    const dir = join(root, model);
    const result = await trainGenerative({ model, dataset: 'mnist', epochs: 3, batchSize: 32, lr: 2e-3, latent: 8, limit: 128, backend: 'wasm', seed: 5, out: dir });
    for (const file of ['config.json', 'model.safetensors', 'log.jsonl', 'report.html']) expect(existsSync(join(dir, file)), file).toBe(true);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg[\s>]/g)!.length).toBe(html.match(/<\/svg>/g)!.length);
    expect(html.match(/data:image\/png;base64/g)!.length).toBeGreaterThanOrEqual(model === 'vae' ? 5 : 4); // 3 epoch grids, interpolation (+ reconstructions)
    if (model === 'vae') {
      const recon = await epochLosses(dir, 'reconstruction');
      expect(recon.at(-1)!).toBeLessThan(recon[0]!); // the reconstruction term falls
      expect(result.negativeElbo!).toBeGreaterThan(0);
      expect(result.negativeElbo!).toBeLessThan(784 * Math.log(2) + 50); // better than a coin per pixel, give or take the KL
    } else {
      const d = await epochLosses(dir, 'd.loss');
      expect(d.every(Number.isFinite)).toBe(true);
    }
    const flags = { run: dir, classifier, samples: 40, seed: 1, backend: 'wasm' } as const;
    const { metrics, reproduced } = await evaluateRun(flags);
    if (model === 'vae') expect(reproduced).toBe(true); // the same test figure from the saved weights
    const scores = metrics.scores!;
    expect([scores.samples.count, scores.trainImages.count, scores.testImages.count]).toEqual([40, 128, 128]);
    expect(scores.classifier.featureDim).toBe(84); // LeNet-5's f6
    for (const set of [scores.samples, scores.trainImages]) {
      expect(set.classShares.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
      expect(set.confidentShare).toBeGreaterThanOrEqual(0);
      expect(set.frechetToTest).toBeGreaterThan(0);
    }
    expect(scores.testImages.frechetToTest).toBeLessThan(1e-9);
    const saved = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as RunMetrics;
    expect(saved.scores!.samples.frechetToTest).toBe(scores.samples.frechetToTest);
    expect((await evaluateRun(flags)).metrics).toEqual(metrics); // seeded: evaluate reproduces its own scores
    const rewritten = await readFile(join(dir, 'report.html'), 'utf8');
    expect(rewritten).toContain('Scores by the classifier');
    expect(rewritten.match(/data:image\/png;base64/g)!.length).toBe(html.match(/data:image\/png;base64/g)!.length);

    const png = join(root, `${model}.png`);
    await sample({ run: dir, n: 16, out: png, seed: 1, backend: 'wasm' });
    const image = decodeImage(await readFile(png), { channels: 1 }, png);
    expect(image.shape).toEqual([2 + 2 * 30, 2 + 8 * 30, 1]); // 2 rows of 8 tiles of 28 px with 2 px gutters
    image.dispose();
  }, 180_000);
});

describe('generative train --resume', () => {
  it('continues the VAE run from the last checkpoint left and ends with the same test figure', async () => {
    // A copy of the 3-epoch VAE run that lost its last epoch: the newest checkpoint, the weights, the figures.
    const dir = join(root, 'vae');
    const copy = join(root, 'vae-resumed');
    await cp(dir, copy, { recursive: true });
    const checkpoints = (await readdir(join(copy, 'checkpoints'))).sort();
    expect(checkpoints.length).toBe(2); // keepLast 2: after epochs 2 and 3
    await rm(join(copy, 'checkpoints', checkpoints.at(-1)!), { recursive: true });
    for (const file of ['model.safetensors', 'metrics.json', 'report.html', 'pictures/epoch-003.png']) await rm(join(copy, file));
    const result = await trainGenerative({ model: 'vae', dataset: 'mnist', batchSize: 1, limit: 1, backend: 'wasm', seed: 0, resume: copy });
    const saved = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as RunMetrics;
    expect(result.negativeElbo).toBe(saved.testNegativeElbo);
    const epochs = (await epochLosses(copy, 'reconstruction')).length;
    expect(epochs).toBe(4); // three of the first run, the third again from the resume
    expect(existsSync(join(copy, 'pictures', 'epoch-003.png'))).toBe(true);
  }, 60_000);
});

describe('generative evaluate', () => {
  it('names a missing or foreign classifier folder in one clear error', async () => {
    const run = join(root, 'vae');
    const flags = { run, samples: 4, seed: 1, backend: 'wasm' } as const;
    await expect(evaluateRun({ ...flags, classifier: join(root, 'nowhere') })).rejects.toThrowError(
      `classifier folder '${join(root, 'nowhere')}': no config.json (expected a run folder written by 'image-classification train', e.g. by 'npm start', which writes runs/mnist-quick)`,
    );
    await expect(evaluateRun({ ...flags, classifier: run })).rejects.toThrowError(/^classifier folder '.*vae': config.json has no model spec, got the keys model, dataset/);
  }, 60_000);
});

describe('the command line', () => {
  const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
  const failure = async (args: string[]): Promise<{ code: number; stderr: string }> =>
    (await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, ...args]).catch((e: unknown) => e)) as { code: number; stderr: string };

  it('rejects a bad value with one line and exit code 2', async () => {
    const { code, stderr } = await failure(['evaluate', '--run', join(root, 'vae'), '--samples', '1']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("generative: option '--samples <n>' argument '1' is invalid. expected a whole number ≥ 2.");
  }, 30_000);

  it('reports a missing classifier folder in one line and exit code 1', async () => {
    const { code, stderr } = await failure(['evaluate', '--run', join(root, 'vae'), '--classifier', join(root, 'nowhere'), '--backend', 'wasm']);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^generative: classifier folder '.*nowhere': no config.json \(expected a run folder/)]);
  }, 30_000);
});

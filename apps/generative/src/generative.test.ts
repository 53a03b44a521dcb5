// Smoke test of the generative app: a few steps of each model on a small slice, then sample.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage } from '@tensorloom/data/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from './sample.js';
import { trainGenerative } from './train.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'generative-'));
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
    const png = join(root, `${model}.png`);
    await sample({ run: dir, n: 16, out: png, seed: 1, backend: 'wasm' });
    const image = decodeImage(await readFile(png), { channels: 1 }, png);
    expect(image.shape).toEqual([2 + 2 * 30, 2 + 8 * 30, 1]); // 2 rows of 8 tiles of 28 px with 2 px gutters
    image.dispose();
  }, 180_000);
});

// Smoke test of `sequence spam`: a few steps on a small slice, then evaluate and predict on the result.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { rng } from '@tensorloom/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POOL_BATCHES, batchOrder, batchWidth, spamBatches } from './data.js';
import { evaluateSpam } from './evaluate.js';
import { predictSpam } from './predict.js';
import { trainSpam } from './train.js';

const run = promisify(execFile);
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'sequence-spam-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const base = { vocabSize: 2000, maxLen: 24, epochs: 3, batchSize: 16, lr: 3e-3, limit: 160, backend: 'wasm' as const, seed: 3 };

describe.each(['transformer', 'lstm'] as const)('spam %s', (model) => {
  it('trains (the loss falls), writes the run folder, reproduces its figures and predicts', async () => {
    const dir = join(root, model);
    const { figures } = await trainSpam({ ...base, model, tokenizer: model === 'lstm' ? 'word' : 'bpe', out: dir });
    for (const file of ['config.json', 'model.safetensors', 'log.jsonl', 'metrics.json', 'report.html']) expect(existsSync(join(dir, file)), file).toBe(true);
    const epochs = (await readFile(join(dir, 'log.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; loss: number })
      .filter((r) => r.type === 'epoch');
    expect(epochs.at(-1)!.loss).toBeLessThan(epochs[0]!.loss);
    const html = await readFile(join(dir, 'report.html'), 'utf8');
    expect(html.match(/<svg[\s>]/g)!.length).toBe(html.match(/<\/svg>/g)!.length);
    expect(html).toContain('ROC curve');
    const again = await evaluateSpam({ run: dir, backend: 'wasm' });
    expect(again.reproduced).toBe(true);
    expect(again.figures).toEqual(figures);
    const message = join(root, `${model}.txt`);
    await writeFile(message, 'Subject: You WON a FREE prize!!!\n\nClick here now to claim your cash, limited offer, act now!');
    const p = await predictSpam({ path: message, run: dir, backend: 'wasm' });
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
    if (model !== 'lstm') return;
    // Resume: a copy of the run that lost its last epoch (its newest checkpoint and outputs
    // gone) continues from the checkpoint left, with the folder's settings, to the same figures.
    const cut = join(root, 'lstm-cut');
    await trainSpam({ ...base, model, tokenizer: 'word', out: cut });
    const checkpoints = (await readdir(join(cut, 'checkpoints'))).filter((n) => n.startsWith('step-')).sort();
    await rm(join(cut, 'checkpoints', checkpoints.at(-1)!), { recursive: true });
    for (const f of ['model.safetensors', 'metrics.json', 'report.html']) await rm(join(cut, f));
    const resumed = await trainSpam({ ...base, epochs: 1, seed: 99, model: 'transformer', tokenizer: 'bpe', resume: cut });
    expect(resumed.figures).toEqual(figures);
    expect(resumed.dir).toBe(cut);
  }, 240_000);
});

describe('batches', () => {
  it('pad each batch to its own longest message, rounded up to 32 and capped at maxLen', () => {
    expect([1, 32, 33, 250, 256, 300].map((n) => batchWidth(n, 256))).toEqual([32, 32, 64, 256, 256, 256]);
    expect(batchWidth(40, 24)).toBe(24);
    const rows = [Int32Array.of(5, 6, 7), Int32Array.of(8), Int32Array.from({ length: 40 }, () => 9)];
    const [a, b] = [...spamBatches(rows, [1, 0, 1], 256, 2, false)({ epoch: 0, rng: rng(0) })];
    expect(a!.x.shape).toEqual([2, 32]);
    expect(Array.from(a!.x.dataSync()).slice(0, 4)).toEqual([8, 0, 0, 0]);
    expect(Array.from(a!.y.dataSync())).toEqual([0, 1]);
    expect(b!.x.shape).toEqual([1, 64]);
    [a!.x, a!.y, b!.x, b!.y].forEach((t) => t.dispose());
  });

  it('draw every message once per epoch, in length-sorted pools when shuffled', () => {
    const lengths = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 300);
    const batches = batchOrder(lengths, 8, rng(1));
    expect(batches.flat().sort((x, y) => x - y)).toEqual(lengths.map((_, i) => i));
    expect(batches.filter((b) => b.length !== 8).length).toBe(0);
    for (const b of batches) expect(b.map((i) => lengths[i]!)).toEqual(b.map((i) => lengths[i]!).sort((x, y) => x - y));
    // A pool is a random draw, so its batches are not in length order overall.
    expect(batches.slice(0, POOL_BATCHES).map((b) => lengths[b[0]!]!)).not.toEqual(batches.slice(0, POOL_BATCHES).map((b) => lengths[b[0]!]!).sort((x, y) => x - y));
    expect(batchOrder(lengths, 8).flat().map((i) => lengths[i]!)).toEqual([...lengths].sort((x, y) => x - y));
  });
});

describe('the command line', () => {
  it('rejects a bad value with one line and exit code 2', async () => {
    const cli = join(import.meta.dirname, '..', 'cli.ts');
    const error = await run(process.execPath, ['--import', 'tsx', cli, 'spam', 'train', '--model', 'gpt']).catch((e: unknown) => e);
    const { code, stderr } = error as { code: number; stderr: string };
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("sequence: option '--model <name>' argument 'gpt' is invalid. expected one of lstm, transformer.");
    const { stdout } = await run(process.execPath, ['--import', 'tsx', cli, 'spam', 'train', '--help']);
    expect(stdout).toContain('--max-len <n>');
    expect(stdout).toContain('(default: 256)');
  });
});

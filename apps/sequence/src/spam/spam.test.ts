// Smoke test of `sequence spam`: a few steps on a small slice, then evaluate and predict on the result.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  }, 180_000);
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

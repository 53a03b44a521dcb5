import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fileStore, fileSink } from './file-store.js';
import { readFileSync } from 'node:fs';

const root = mkdtempSync(join(tmpdir(), 'tl-train-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const child = fileURLToPath(new URL('../../test/kill-child.ts', import.meta.url));

function filesFor(step: number): Record<string, number> {
  return { 'model.safetensors': 200_000 + (step % 7) * 10_000, 'state.safetensors': 50_000 + (step % 5) * 1000 };
}

/** Starts the writer, kills it with SIGKILL `delayMs` after its first checkpoint. */
function killDuringSaves(dir: string, delayMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) setTimeout(() => p.kill('SIGKILL'), delayMs);
    });
    p.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited without being killed (${signal})`))));
    p.on('error', reject);
  });
}

describe('fileStore', () => {
  it('writes, lists, reads, replaces and removes checkpoints', async () => {
    const store = fileStore(join(root, 'basic'));
    expect(await store.list()).toEqual([]);
    await store.write('a', { 'x.bin': new Uint8Array([1, 2]), 'trainer.json': new Uint8Array([123, 125]) });
    await store.write('a', { 'x.bin': new Uint8Array([3]), 'trainer.json': new Uint8Array([123, 125]) });
    expect(await store.list()).toEqual(['a']);
    expect(Array.from((await store.read('a'))['x.bin']!)).toEqual([3]);
    // A directory without trainer.json (an interrupted copy by hand) and temp leftovers are not listed.
    mkdirSync(join(root, 'basic', 'b'));
    writeFileSync(join(root, 'basic', 'b', 'x.bin'), 'x');
    mkdirSync(join(root, 'basic', '.tmp-c-1'));
    expect(await store.list()).toEqual(['a']);
    await store.remove('a');
    expect(await store.list()).toEqual([]);
    await expect(store.write('../evil', {})).rejects.toThrow("fileStore: checkpoint name expected letters, digits, '_', '-' or '.', got '../evil'");
  });

  it('a SIGKILL at any point during saves leaves the latest complete checkpoint readable', { timeout: 120_000 }, async () => {
    const delays = [0, 3, 7, 12, 20, 31, 45, 60, 80, 110, 150, 200];
    const latest: number[] = [];
    for (const [i, delay] of delays.entries()) {
      const dir = join(root, `kill-${i}`);
      await killDuringSaves(dir, delay);
      const store = fileStore(dir);
      const names = await store.list();
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const files = await store.read(name);
        const step = (JSON.parse(new TextDecoder().decode(files['trainer.json'])) as { step: number }).step;
        expect(name).toBe(`step-${String(step).padStart(9, '0')}`);
        for (const [f, size] of Object.entries(filesFor(step))) {
          const bytes = files[f]!;
          expect(bytes.length).toBe(size);
          expect(bytes.every((b) => b === step % 251)).toBe(true);
        }
      }
      latest.push(Number(names.at(-1)!.slice(5)));
      // Leftovers of the interrupted write are hidden, never listed.
      expect(readdirSync(dir).filter((e) => !e.startsWith('.')).length).toBeGreaterThanOrEqual(names.length);
    }
    // The kills landed at different points of the save loop.
    expect(new Set(latest).size).toBeGreaterThan(3);
  });
});

describe('fileSink', () => {
  it('truncates on the first write, then appends', () => {
    const path = join(root, 'log.txt');
    writeFileSync(path, 'old\n');
    const sink = fileSink(path);
    sink('a\n');
    sink('b\n');
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
    fileSink(path, { append: true })('c\n');
    expect(readFileSync(path, 'utf8')).toBe('a\nb\nc\n');
  });
});

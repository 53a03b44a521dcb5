// Runs the training example of packages/train/README.md (the first ts block of the "loop"
// section) exactly as written, in a child process: the example imports @tensorloom/datasets for
// real MNIST digits, which this package must not depend on, so the code runs outside the
// package's own module graph (resolved through the workspace's tsconfig paths).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const section = readme.slice(readme.indexOf('<!-- loop -->'), readme.indexOf('<!-- /loop -->'));
const code = /```ts\n([\s\S]*?)```/.exec(section)![1]!;
// The tsx loader by absolute URL: the child runs in a temporary directory without node_modules.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'tl-train-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README: training', () => {
  it('trains the MNIST CNN, is cut off, resumes, stops early or finishes, and writes the report', { timeout: 240_000 }, () => {
    const file = join(dir, 'example.mts'); // .mts: an ES module (top-level await) outside any package.json
    writeFileSync(file, code);
    const out = execFileSync(process.execPath, ['--import', tsx, file], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, TSX_TSCONFIG_PATH: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) },
    });
    const m = /epochs ([\d,]+); val accuracy (\d\.\d+)/.exec(out);
    expect(m, out).not.toBeNull();
    expect(m![1]!.startsWith('0,1,2')).toBe(true); // epochs 0-1 from run 1's history, 2+ from run 2
    expect(Number(m![2])).toBeGreaterThan(0.7);
    expect(out).toMatch(/Epoch 3\/4 16\/16 .* - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val\.loss/);
    expect(out).toMatch(/'best-\d{9}'/);
    for (const f of ['report.html', 'report.svg', 'report.png']) expect(existsSync(join(dir, 'runs/mnist-cnn', f))).toBe(true);
  });
});

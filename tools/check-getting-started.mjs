#!/usr/bin/env node
// Checks docs/getting-started.md the way a new user meets it: builds the libraries, packs
// the six it uses with `npm pack`, installs the tarballs with tfjs-core into a fresh project
// outside the workspace (from npm's cache when it can: --prefer-offline), and runs the page's
// program — its `ts` blocks in order, types stripped by esbuild — with plain node. Passes
// when the program exits 0, prints a test accuracy above --min-accuracy, and reloads the
// weights it saved.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transform } from 'esbuild';
import { command, number, parse } from './cli.mjs';

const PACKAGES = ['core', 'backend-wasm', 'layers', 'data', 'datasets', 'metrics'];

const program = command('check-getting-started', "Packs the libraries, installs them into a temporary project and runs docs/getting-started.md's program.")
  .option('--min-accuracy <p>', 'the test accuracy the program must reach', number({ min: 0, max: 1 }), 0.8)
  .option('--keep', 'keep the temporary project (its path is printed)', false)
  .option('--no-build', 'use the dist/ folders as they are');
const options = parse(program);
const root = new URL('..', import.meta.url).pathname;
const log = (text) => console.log(`check-getting-started: ${text}`);
const fail = (text) => {
  console.error(`check-getting-started: ${text}`);
  process.exit(1);
};

/** The page's program: every ```ts block, in order. */
function programOf(markdown) {
  const blocks = [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  if (blocks.length === 0) fail('docs/getting-started.md expected ```ts blocks, got none');
  return blocks.join('\n');
}

const source = programOf(readFileSync(join(root, 'docs/getting-started.md'), 'utf8'));
const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'node20' });

if (options.build) execFileSync('npx', ['nx', 'run-many', '-t', 'build', `--projects=${PACKAGES.map((p) => `@tensorloom/${p}`).join(',')}`, '--outputStyle=static'], { cwd: root, stdio: 'inherit' });

const work = mkdtempSync(join(tmpdir(), 'tensorloom-getting-started-'));
try {
  const tarballs = join(work, 'tarballs');
  const app = join(work, 'app');
  mkdirSync(tarballs);
  mkdirSync(app);
  for (const p of PACKAGES) {
    execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', tarballs], { cwd: join(root, 'packages', p), stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz')).map((f) => join(tarballs, f));
  if (files.length !== PACKAGES.length) fail(`expected ${PACKAGES.length} tarballs, got ${files.length}: ${files.join(', ')}`);
  log(`packed ${files.map((f) => f.slice(tarballs.length + 1)).join(', ')}`);

  writeFileSync(join(app, 'package.json'), `${JSON.stringify({ name: 'getting-started', private: true, type: 'module' }, null, 2)}\n`);
  const install = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...files, '@tensorflow/tfjs-core@4.22.0'], { cwd: app, stdio: 'inherit' });
  if (install.status !== 0) fail(`npm install of the tarballs expected exit code 0, got ${install.status}`);

  writeFileSync(join(app, 'main.mjs'), code);
  const run = spawnSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8', timeout: 10 * 60_000 });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.status !== 0) fail(`the getting-started program expected exit code 0, got ${run.status ?? run.signal}`);
  const accuracy = Number(/^test accuracy (\S+)/m.exec(run.stdout)?.[1]);
  if (!(accuracy >= options.minAccuracy)) fail(`test accuracy expected ≥ ${options.minAccuracy}, got ${accuracy}`);
  if (!/^reloaded \d+ tensors/m.test(run.stdout)) fail("expected the program to print 'reloaded N tensors', got no such line");
  log(`${PACKAGES.length} packed packages installed outside the workspace; the program of docs/getting-started.md ran, test accuracy ${accuracy.toFixed(4)}`);
} finally {
  if (options.keep) log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

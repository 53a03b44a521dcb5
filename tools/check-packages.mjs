#!/usr/bin/env node
// Checks that every library is a real npm package: builds it (via nx, cached) and asks
// `npm pack --dry-run` what it would publish: dist/ with .js and .d.ts for every export,
// no tests, no sources, a README, and an exports map with `types` first.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { command, parse } from './cli.mjs';

parse(command('check-packages', 'Builds every library and checks what `npm pack` would publish.'));

const root = new URL('..', import.meta.url).pathname;
const problems = [];
const libraries = readdirSync(join(root, 'packages')).filter((d) => existsSync(join(root, 'packages', d, 'package.json')));

execFileSync('npx', ['nx', 'run-many', '-t', 'build', '--outputStyle=static'], { cwd: root, stdio: 'inherit' });

for (const dir of libraries) {
  const cwd = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files = report.files.map((f) => f.path);
  const fail = (what) => problems.push(`${pkg.name}: ${what}`);
  if (pkg.type !== 'module') fail(`"type" expected "module", got ${JSON.stringify(pkg.type)}`);
  if (!files.includes('README.md')) fail('README.md is not packed');
  const tests = files.filter((f) => /\.test\.|__fixtures__/.test(f));
  if (tests.length) fail(`tests are packed: ${tests.slice(0, 3).join(', ')}`);
  const sources = files.filter((f) => f.startsWith('src/'));
  if (sources.length) fail(`sources are packed: ${sources.slice(0, 3).join(', ')}`);
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target !== 'object') continue;
    const keys = Object.keys(target);
    if (keys[0] !== 'types') fail(`exports['${subpath}'] expected 'types' first, got [${keys.join(', ')}]`);
    for (const file of Object.values(target)) {
      const rel = file.replace(/^\.\//, '');
      if (!files.includes(rel)) fail(`exports['${subpath}'] points to ${rel}, which is not packed`);
    }
  }
  if (!problems.some((p) => p.startsWith(pkg.name))) console.log(`ok  ${pkg.name}: ${files.length} files, ${report.size} bytes packed`);
}
if (problems.length) {
  console.error(problems.map((p) => `FAIL ${p}`).join('\n'));
  process.exit(1);
}

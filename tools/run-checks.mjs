#!/usr/bin/env node
// `npm test`: every check of the repository, one after another, each one's output streamed
// as it runs. Stops at the first failing check. Ends with one line per check (its time and
// its own summary, e.g. vitest's test count) and then the one summary line:
// `checks: N passed, M failed`.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { command, parse } from './cli.mjs';

/** The checks, in order: [name, command line, the pattern of its own summary line]. */
const CHECKS = [
  ['typecheck + lint (nx, every project)', 'npx nx run-many -t typecheck lint --outputStyle=static', /Successfully ran targets?.*|Ran targets?.*/],
  ['typecheck tools', 'npx tsc -p tsconfig.json', null],
  ['lint tools', 'npx eslint tools eslint.config.js vitest.config.ts', null],
  ['tests (vitest)', 'npx vitest run', /^\s*Tests\s+.*/m],
  ['docs site (typedoc + check-docs)', 'npm run --silent docs', /^check-docs: .*/m],
  ['no references outside the repository', 'node tools/check-references.mjs', /^check-references: .*/m],
  ['packages (build + npm pack)', 'node tools/check-packages.mjs', null],
  ['getting started from packed tarballs', 'node tools/check-getting-started.mjs', /^check-getting-started: \d+ packed.*/m],
];

const program = command('run-checks', 'Runs every check of `npm test` and ends with one summary line.')
  .option('--list', 'print the checks and exit', false)
  .option('--only <names>', 'run only the checks whose name contains one of these comma-separated words', (v) => v.split(','), null);
program.options.at(-1).defaultValueDescription = 'every check';
const options = parse(program);
if (options.list) {
  for (const [name, line] of CHECKS) console.log(`${name}: ${line}`);
  process.exit(0);
}
const selected = options.only === null ? CHECKS : CHECKS.filter(([name]) => options.only.some((w) => name.includes(w)));
if (selected.length === 0) {
  console.error(`run-checks: option '--only <names>' expected words from the check names (see --list), got '${options.only.join(',')}'`);
  process.exit(2);
}

// eslint-disable-next-line no-control-regex
const plain = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');

/** Runs one shell command, streaming its output, and resolves with its exit code and output. */
function runStep(line) {
  return new Promise((resolve) => {
    const child = spawn(line, { shell: true, stdio: ['inherit', 'pipe', 'pipe'], env: process.env });
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      output += chunk;
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output: plain(output) }));
  });
}

const results = [];
for (const [name, line, summary] of selected) {
  console.log(`\n▶ ${name}: ${line}`);
  const started = performance.now();
  const { code, output } = await runStep(line);
  const seconds = (performance.now() - started) / 1000;
  const found = summary ? (summary.exec(output)?.[0] ?? '').trim().replace(/\s+/g, ' ') : '';
  results.push({ name, ok: code === 0, seconds, found, code });
  if (code !== 0) break;
}

console.log('');
for (const r of results) {
  console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(0)} s)${r.found ? `: ${r.found}` : ''}${r.ok ? '' : `, exit code ${r.code}`}`);
}
const notRun = selected.slice(results.length).map(([name]) => name);
if (notRun.length > 0) console.log(`not run after the failure: ${notRun.join(', ')}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`checks: ${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;

#!/usr/bin/env node
// Checks that the repository stands on its own: no file in it (tracked, or new and not
// ignored) refers to a file outside it — design notes kept elsewhere, a sibling folder, or
// an absolute path of one machine. The project's design lives in docs/architecture.md and
// docs/style.md.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { command, parse } from './cli.mjs';

/** What counts as a reference outside the repository (built from parts so this file passes). */
export const OUTSIDE = [
  { pattern: new RegExp(`\\b${'DES' + 'IGN'}\\.md\\b`), what: 'a design file that is not in the repository (see docs/architecture.md)' },
  { pattern: new RegExp(`\\b${'STY' + 'LE'}\\.md\\b`), what: 'a style file that is not in the repository (see docs/style.md)' },
  { pattern: new RegExp(`\\.\\./${'sha' + 'red'}\\b`), what: 'a folder beside the repository' },
  { pattern: new RegExp(`(^|[\\s'"\`(=])/(${['wo' + 'rk', 'ho' + 'me', 'Us' + 'ers', 'ro' + 'ot'].join('|')})/`), what: 'an absolute path of one machine' },
];

/** The references outside the repository in one file's text: `path:line: what (match)`. */
export function findOutsideReferences(path, text) {
  const found = [];
  text.split('\n').forEach((line, i) => {
    for (const { pattern, what } of OUTSIDE) {
      const m = pattern.exec(line);
      if (m) found.push(`${path}:${i + 1}: ${what} (${m[0].trim()})`);
    }
  });
  return found;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const program = command('check-references', 'Fails when a file of the repository refers to a file outside it.')
    .argument('[root]', 'the repository (default: the one holding this script)');
  parse(program);
  const root = program.args[0] ?? new URL('..', import.meta.url).pathname;
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && f !== 'package-lock.json');
  const problems = [];
  let checked = 0;
  for (const file of files) {
    const full = join(root, file);
    let bytes;
    try {
      if (!statSync(full).isFile()) continue;
      bytes = readFileSync(full);
    } catch {
      continue; // listed by git but deleted in the working tree
    }
    if (bytes.includes(0)) continue; // binary
    checked++;
    problems.push(...findOutsideReferences(file, bytes.toString('utf8')));
  }
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(`check-references: ${problems.length} references outside the repository in ${checked} files`);
    process.exit(1);
  }
  console.log(`check-references: ${checked} files, none refers to a file outside the repository`);
}

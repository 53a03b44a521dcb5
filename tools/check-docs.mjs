#!/usr/bin/env node
// Checks what typedoc's own validation cannot: every public export of every package has an
// `@example`, and every layer (a class of @tensorloom/layers with `outputShape`) documents
// its "Input shape:" and "Output shape:". Reads the JSON that `npm run docs` writes.
//
// Usage: node tools/check-docs.mjs [docs-site/api.json]
import { readFileSync } from 'node:fs';
import { command, parse } from './cli.mjs';

const program = command('check-docs', 'Checks the typedoc JSON: every export has an @example, every layer its shapes.')
  .argument('[file]', 'the typedoc JSON (default: docs-site/api.json)');
parse(program);
const file = program.args[0] ?? new URL('../docs-site/api.json', import.meta.url).pathname;
const project = JSON.parse(readFileSync(file, 'utf8'));
const KIND = { Module: 2, Namespace: 4, Enum: 8, Variable: 32, Function: 64, Class: 128, Interface: 256, TypeAlias: 2097152 };
const CHECKED = new Set([KIND.Enum, KIND.Variable, KIND.Function, KIND.Class, KIND.Interface, KIND.TypeAlias, KIND.Namespace]);

const text = (parts = []) => parts.map((p) => p.text).join('');
const comments = (d) => [d.comment, ...(d.signatures ?? []).map((s) => s.comment)].filter(Boolean);
const hasExample = (d) => comments(d).some((c) => (c.blockTags ?? []).some((t) => t.tag === '@example'));

const problems = [];
let checked = 0;
function visit(pkg, decl, path) {
  if (decl.kind === KIND.Module) {
    for (const child of decl.children ?? []) visit(pkg, child, path);
    return;
  }
  if (!CHECKED.has(decl.kind)) return;
  const name = `${path}${decl.name}`;
  checked++;
  if (decl.kind === KIND.Namespace) {
    for (const child of decl.children ?? []) visit(pkg, child, `${name}.`);
  } else if (!hasExample(decl)) {
    problems.push(`${pkg}: ${name} has no @example`);
  }
  const isLayer = pkg === '@tensorloom/layers' && decl.kind === KIND.Class && (decl.children ?? []).some((c) => c.name === 'outputShape');
  if (isLayer && !decl.flags?.isAbstract) {
    const summary = comments(decl).map((c) => text(c.summary)).join('\n');
    for (const heading of ['Input shape', 'Output shape']) {
      if (!summary.includes(heading)) problems.push(`${pkg}: layer ${name} does not document its "${heading}:"`);
    }
  }
}

for (const pkg of project.children ?? []) {
  for (const decl of pkg.children ?? []) visit(pkg.name, decl, '');
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`check-docs: ${problems.length} problems in ${checked} public exports`);
  process.exit(1);
}
console.log(`check-docs: ${checked} public exports, each with an @example; every layer states its input and output shapes`);

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

// Families (`@group`): once a package groups its exports, every export is in a family, not
// left in typedoc's default by-kind groups. The packages below must be grouped; the others
// (new ones, small backends) are checked once they use groups.
const MUST_GROUP = new Set(['@tensorloom/core', '@tensorloom/data', '@tensorloom/datasets', '@tensorloom/layers', '@tensorloom/metrics']);
const KIND_GROUPS = new Set(['Classes', 'Functions', 'Interfaces', 'Type Aliases', 'Variables', 'Namespaces', 'Enumerations', 'References']);
let grouped = 0;
function checkGroups(pkg) {
  const groups = pkg.groups ?? [];
  if (!groups.some((g) => !KIND_GROUPS.has(g.title))) {
    if (MUST_GROUP.has(pkg.name)) problems.push(`${pkg.name}: expected its exports grouped by family (@group), got no groups`);
    return;
  }
  grouped++;
  const byId = new Map((pkg.children ?? []).map((d) => [d.id, d]));
  for (const g of groups) {
    if (!KIND_GROUPS.has(g.title) || g.title === 'References') continue;
    for (const id of g.children ?? []) problems.push(`${pkg.name}: ${byId.get(id)?.name ?? id} has no @group (its family on the docs site), so it sits under "${g.title}"`);
  }
}

// Internal bases: a documented class must not extend a class of ours that the site lacks
// (an unlinked end of its hierarchy); tools/typedoc/internal-bases.mjs links the nearest
// documented ancestor instead.
const ids = new Set();
(function collect(d) {
  ids.add(d.id);
  for (const c of d.children ?? []) collect(c);
})(project);
function checkHierarchy(pkg, decl) {
  for (const t of decl.extendedTypes ?? []) {
    const ours = t.type === 'reference' && (t.package === undefined || t.package.startsWith('@tensorloom/'));
    if (ours && !(typeof t.target === 'number' && ids.has(t.target))) problems.push(`${pkg.name}: ${decl.name} extends ${t.name}, which is not on the docs site`);
  }
}

for (const pkg of project.children ?? []) {
  for (const decl of pkg.children ?? []) {
    visit(pkg.name, decl, '');
    if (decl.kind === KIND.Class || decl.kind === KIND.Interface) checkHierarchy(pkg, decl);
  }
  checkGroups(pkg);
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  console.error(`check-docs: ${problems.length} problems in ${checked} public exports`);
  process.exit(1);
}
console.log(`check-docs: ${checked} public exports, each with an @example; every layer states its input and output shapes; ${grouped} packages grouped by family; no hierarchy ends in a class missing from the site`);

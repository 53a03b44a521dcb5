// ESLint rule: enforce Tensorloom's dependency rules from project tags.
//
// Each workspace project declares tags in its package.json (`"nx": { "tags": [...] }`), the
// same tags nx shows in its project graph. The rule maps every import of `@tensorloom/<x>`
// (and any relative import that leaves the project) to the target project and checks it
// against `depConstraints`: a project with tag `sourceTag` may only import projects that
// carry one of `onlyDependOnLibsWithTags`. It also keeps tfjs behind core: only projects
// tagged `tfjs:direct` may import `@tensorflow/*` outside their tests. Two more rules keep a
// new project honest:
// - every project needs a rule: at least one of its tags must be the `sourceTag` of a
//   depConstraint, or nothing would check what it imports;
// - an import of `@tensorloom/<x>` must be declared in the importing project's package.json
//   (`dependencies`, `peerDependencies` or `optionalDependencies`; tests may also use
//   `devDependencies`), or the published package would not install what it needs.
//
// (nx's own @nx/enforce-module-boundaries ships in @nx/eslint-plugin, which has no release
// matching our pinned nx 23.3.x; this rule reads the same tags.)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const repositoryRoot = resolve(dirname(new URL(import.meta.url).pathname), '../..');

const projectsCache = new Map();
/** The workspace projects under `root` (packages/* and apps/*), read once per root. */
function projects(root) {
  if (projectsCache.has(root)) return projectsCache.get(root);
  const found = [];
  for (const group of ['packages', 'apps']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const dir of readdirSync(base)) {
      const manifest = join(base, dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      const runtime = { ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies };
      found.push({
        name: pkg.name,
        dir: join(base, dir),
        tags: pkg.nx?.tags ?? [],
        dependencies: new Set(Object.keys(runtime)),
        devDependencies: new Set(Object.keys(pkg.devDependencies ?? {})),
      });
    }
  }
  projectsCache.set(root, found);
  return found;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the dependency direction between Tensorloom projects via tags.' },
    schema: [
      {
        type: 'object',
        properties: {
          depConstraints: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                sourceTag: { type: 'string' },
                onlyDependOnLibsWithTags: { type: 'array', items: { type: 'string' } },
              },
            },
          },
          // The repository whose packages/* and apps/* are the projects (tests point it at a fixture).
          root: { type: 'string' },
        },
      },
    ],
  },
  create(context) {
    const root = resolve(context.options[0]?.root ?? repositoryRoot);
    const all = projects(root);
    const projectOfFile = (f) => all.find((p) => f === p.dir || f.startsWith(p.dir + sep));
    const projectOfSpecifier = (spec) => {
      const m = /^(@tensorloom\/[a-z0-9-]+)(\/.*)?$/.exec(spec);
      return m ? { name: m[1], project: all.find((p) => p.name === m[1]) } : undefined;
    };
    const file = resolve(context.filename);
    const source = projectOfFile(file);
    if (!source) return {};
    const constraints = context.options[0]?.depConstraints ?? [];
    const isTest = /\.test\.[cm]?[jt]s$/.test(file) || file.includes(`${sep}test${sep}`);
    const ruled = source.tags.filter((t) => constraints.some((c) => c.sourceTag === t));

    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('@tensorflow/')) {
        if (!isTest && !source.tags.includes('tfjs:direct')) {
          context.report({
            node,
            message: `${source.name} imports '${spec}' directly: only core and backend packages may (got tags [${source.tags.join(', ')}]). Import { tf } from '@tensorloom/core' instead.`,
          });
        }
        return;
      }
      let target;
      if (spec.startsWith('.')) {
        const abs = resolve(dirname(file), spec);
        target = projectOfFile(abs);
        if (target && target !== source) {
          context.report({ node, message: `${source.name} reaches into ${target.name} by relative path '${spec}'; import '${target.name}' instead.` });
          return;
        }
        if (!target) {
          context.report({ node, message: `${source.name} imports '${spec}', outside every project (${relative(root, abs)}).` });
        }
        return;
      }
      const named = projectOfSpecifier(spec);
      if (!named || named.name === source.name) return;
      const declared = source.dependencies.has(named.name) || (isTest && source.devDependencies.has(named.name));
      if (!declared) {
        context.report({
          node,
          message: `${source.name} imports '${spec}' but its package.json does not declare ${named.name} (expected it in dependencies${isTest ? ' or devDependencies' : ', peerDependencies or optionalDependencies'}).`,
        });
      }
      target = named.project;
      if (!target) return;
      for (const c of constraints) {
        if (!source.tags.includes(c.sourceTag)) continue;
        const allowed = c.onlyDependOnLibsWithTags ?? [];
        if (!allowed.some((t) => t === '*' || target.tags.includes(t))) {
          context.report({
            node,
            message: `${source.name} (tag ${c.sourceTag}) may only import projects tagged [${allowed.join(', ')}], got ${target.name} with tags [${target.tags.join(', ')}].`,
          });
        }
      }
    }

    return {
      Program: (node) => {
        if (ruled.length > 0) return;
        context.report({
          node,
          loc: { line: 1, column: 0 },
          message: `${source.name} has no dependency rule: none of its tags [${source.tags.join(', ')}] is the sourceTag of a depConstraint; add one to depConstraints in eslint.config.js.`,
        });
      },
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { 'module-boundaries': rule } };

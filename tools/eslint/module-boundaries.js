// ESLint rule: enforce Tensorloom's dependency rules from project tags.
//
// Each workspace project declares tags in its package.json (`"nx": { "tags": [...] }`), the
// same tags nx shows in its project graph. The rule maps every import of `@tensorloom/<x>`
// (and any relative import that leaves the project) to the target project and checks it
// against `depConstraints`: a project with tag `sourceTag` may only import projects that
// carry one of `onlyDependOnLibsWithTags`. It also keeps tfjs behind core: only projects
// tagged `tfjs:direct` may import `@tensorflow/*` outside their tests.
//
// (nx's own @nx/enforce-module-boundaries ships in @nx/eslint-plugin, which has no release
// matching our pinned nx 23.3.x; this rule reads the same tags.)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');

let projectsCache = null;
function projects() {
  if (projectsCache) return projectsCache;
  projectsCache = [];
  for (const group of ['packages', 'apps']) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const dir of readdirSync(base)) {
      const manifest = join(base, dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
      projectsCache.push({ name: pkg.name, dir: join(base, dir), tags: pkg.nx?.tags ?? [] });
    }
  }
  return projectsCache;
}

function projectOfFile(file) {
  return projects().find((p) => file === p.dir || file.startsWith(p.dir + sep));
}

function projectOfSpecifier(spec) {
  const m = /^(@tensorloom\/[a-z0-9-]+)(\/.*)?$/.exec(spec);
  return m ? projects().find((p) => p.name === m[1]) : undefined;
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
        },
      },
    ],
  },
  create(context) {
    const file = resolve(context.filename);
    const source = projectOfFile(file);
    if (!source) return {};
    const constraints = context.options[0]?.depConstraints ?? [];
    const isTest = /\.test\.ts$/.test(file) || file.includes(`${sep}test${sep}`);

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
      target = projectOfSpecifier(spec);
      if (!target || target === source) return;
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
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

export default { rules: { 'module-boundaries': rule } };

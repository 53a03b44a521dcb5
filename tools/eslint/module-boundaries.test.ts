// The module-boundaries rule on a small repository written to a temporary folder: tags with
// and without a rule, declared and undeclared imports, tests, tfjs, relative paths.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleTester } from 'eslint';
import { afterAll, describe, it } from 'vitest';
import tensorloom from './module-boundaries.js';

RuleTester.describe = describe;
RuleTester.it = it;

const root = mkdtempSync(join(tmpdir(), 'module-boundaries-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function project(dir: string, manifest: Record<string, unknown>): void {
  mkdirSync(join(root, dir, 'src'), { recursive: true });
  writeFileSync(join(root, dir, 'package.json'), JSON.stringify(manifest));
}
project('packages/core', { name: '@tensorloom/core', nx: { tags: ['type:lib', 'scope:core', 'tfjs:direct'] } });
project('packages/layers', {
  name: '@tensorloom/layers',
  dependencies: { '@tensorloom/core': '^0.1.0' },
  devDependencies: { '@tensorloom/datasets': '^0.1.0' },
  nx: { tags: ['type:lib', 'scope:layers'] },
});
project('packages/datasets', { name: '@tensorloom/datasets', dependencies: { '@tensorloom/core': '^0.1.0' }, nx: { tags: ['type:lib', 'scope:datasets'] } });
project('packages/fresh', { name: '@tensorloom/fresh', dependencies: { '@tensorloom/core': '^0.1.0' }, nx: { tags: ['type:lib', 'scope:fresh'] } });
project('apps/demo', {
  name: '@tensorloom/app-demo',
  private: true,
  dependencies: { '@tensorloom/layers': '^0.1.0' },
  optionalDependencies: { '@tensorloom/core': '^0.1.0' },
  devDependencies: { '@tensorloom/datasets': '^0.1.0' },
  nx: { tags: ['type:app'] },
});

const depConstraints = [
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'scope:layers', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:datasets', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
];
const options = [{ depConstraints, root }];
const file = (path: string): string => join(root, path);

new RuleTester({ languageOptions: { ecmaVersion: 2022, sourceType: 'module' } }).run('module-boundaries', tensorloom.rules['module-boundaries'], {
  valid: [
    { name: 'a declared import the rules allow', filename: file('packages/layers/src/dense.js'), code: "import { tf } from '@tensorloom/core';", options },
    { name: 'a subpath of a declared package', filename: file('packages/layers/src/io.js'), code: "import { readFile } from '@tensorloom/core/node';", options },
    { name: 'a test may use a devDependency', filename: file('apps/demo/src/main.test.js'), code: "import { mnist } from '@tensorloom/datasets';", options },
    { name: 'an app may use an optional dependency', filename: file('apps/demo/src/main.js'), code: "import { tf } from '@tensorloom/core';", options },
    { name: 'core may import tfjs', filename: file('packages/core/src/index.js'), code: "import * as tf from '@tensorflow/tfjs-core';", options },
    { name: 'a relative import inside the project', filename: file('packages/layers/src/index.js'), code: "export { Dense } from './dense.js';", options },
    { name: 'files outside every project are not checked', filename: file('tools/bench.js'), code: "import { x } from '@tensorloom/anything';", options },
  ],
  invalid: [
    {
      name: 'a project whose tags have no rule',
      filename: file('packages/fresh/src/index.js'),
      code: "import { tf } from '@tensorloom/core';",
      options,
      errors: [{ message: '@tensorloom/fresh has no dependency rule: none of its tags [type:lib, scope:fresh] is the sourceTag of a depConstraint; add one to depConstraints in eslint.config.js.' }],
    },
    {
      name: 'an undeclared import (a devDependency outside tests)',
      filename: file('packages/layers/src/data.js'),
      code: "import { mnist } from '@tensorloom/datasets';",
      options,
      errors: [
        { message: "@tensorloom/layers imports '@tensorloom/datasets' but its package.json does not declare @tensorloom/datasets (expected it in dependencies, peerDependencies or optionalDependencies)." },
        { message: '@tensorloom/layers (tag scope:layers) may only import projects tagged [scope:core], got @tensorloom/datasets with tags [type:lib, scope:datasets].' },
      ],
    },
    {
      name: 'a devDependency outside tests, which the tags would allow',
      filename: file('apps/demo/src/main.js'),
      code: "export { Dataset } from '@tensorloom/datasets';",
      options,
      errors: [{ message: "@tensorloom/app-demo imports '@tensorloom/datasets' but its package.json does not declare @tensorloom/datasets (expected it in dependencies, peerDependencies or optionalDependencies)." }],
    },
    {
      name: 'a package that does not exist',
      filename: file('packages/layers/src/x.test.js'),
      code: "const m = await import('@tensorloom/nope');",
      options,
      errors: [{ message: "@tensorloom/layers imports '@tensorloom/nope' but its package.json does not declare @tensorloom/nope (expected it in dependencies or devDependencies)." }],
    },
    {
      name: 'a declared import the tags forbid',
      filename: file('packages/datasets/src/x.js'),
      code: "import { tf } from '@tensorloom/core'; import { Dense } from '@tensorloom/layers';",
      options: [{ depConstraints, root }],
      errors: [
        { message: "@tensorloom/datasets imports '@tensorloom/layers' but its package.json does not declare @tensorloom/layers (expected it in dependencies, peerDependencies or optionalDependencies)." },
        { message: '@tensorloom/datasets (tag scope:datasets) may only import projects tagged [scope:core], got @tensorloom/layers with tags [type:lib, scope:layers].' },
      ],
    },
    {
      name: 'tfjs outside core and the backends',
      filename: file('packages/layers/src/ops.js'),
      code: "import * as tf from '@tensorflow/tfjs-core';",
      options,
      errors: [{ message: "@tensorloom/layers imports '@tensorflow/tfjs-core' directly: only core and backend packages may (got tags [type:lib, scope:layers]). Import { tf } from '@tensorloom/core' instead." }],
    },
    {
      name: 'a relative path into another project',
      filename: file('packages/layers/src/x.js'),
      code: "import { tf } from '../../core/src/index.js';",
      options,
      errors: [{ message: "@tensorloom/layers reaches into @tensorloom/core by relative path '../../core/src/index.js'; import '@tensorloom/core' instead." }],
    },
  ],
});

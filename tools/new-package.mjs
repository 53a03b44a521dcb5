#!/usr/bin/env node
// Creates a new library package with the layout every Tensorloom package shares.
//
// Usage: npm run new-package -- <name> "<one-line description>" [scope-tag]
//   e.g. npm run new-package -- losses "Loss functions." scope:losses
// It writes the package with a starter test and prints the steps that are left: a
// depConstraints rule for its tag (lint fails without one), a row in the README's package
// table, a changeset, and `npm install`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import { command, parse } from './cli.mjs';

const packageName = (text) => {
  if (!/^[a-z][a-z0-9-]*$/.test(text)) throw new InvalidArgumentError('expected lowercase letters, digits and dashes, starting with a letter');
  return text;
};
const tag = (text) => {
  if (!/^[a-z]+:[a-z0-9-]+$/.test(text)) throw new InvalidArgumentError('expected a tag like scope:<name>');
  return text;
};
const program = command('new-package', 'Creates packages/<name> with the layout every Tensorloom package shares.')
  .argument('<name>', 'the folder and package name: @tensorloom/<name>', packageName)
  .argument('<description>', 'one line for package.json, the README and the docs')
  .argument('[scope-tag]', 'its nx tag for the dependency rules (default: scope:<name>)', tag)
  .option('--into <folder>', 'the folder to create it in, relative to the repository (tests use a scratch folder)', 'packages');
const { into } = parse(program);
const [name, description, scopeTag = `scope:${name}`] = program.processedArgs;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = resolve(root, into, name);
if (existsSync(dir)) {
  console.error(`new-package: <name> expected a new package, got '${name}' (${into}/${name} already exists)`);
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(join(root, 'packages/core/package.json'), 'utf8'));
const write = (file, text) => {
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  writeFileSync(join(dir, file), text);
};
const json = (v) => `${JSON.stringify(v, null, 2)}\n`;

write('package.json', json({
  name: `@tensorloom/${name}`,
  version,
  description,
  license: 'Apache-2.0',
  type: 'module',
  sideEffects: false,
  exports: {
    '.': { types: './dist/index.d.ts', import: './dist/index.js' },
    './package.json': './package.json',
  },
  files: ['dist', '!dist/**/*.test.*', '!dist/**/*.tsbuildinfo'],
  scripts: {
    build: 'tsc -p tsconfig.lib.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    lint: 'eslint .',
    test: `vitest run --config ../../vitest.config.ts --project @tensorloom/${name}`,
    docs: 'typedoc --emit none',
  },
  dependencies: { '@tensorloom/core': `^${version}` },
  nx: { tags: ['type:lib', scopeTag] },
}));
write('tsconfig.json', json({ extends: '../../tsconfig.base.json', include: ['src'] }));
write('tsconfig.lib.json', json({
  extends: './tsconfig.json',
  compilerOptions: { rootDir: 'src', outDir: 'dist', paths: {} },
  exclude: ['src/**/*.test.ts'],
}));
write('typedoc.json', json({ extends: ['../../typedoc.package.json'], entryPoints: ['src/index.ts'] }));
write('README.md', `# @tensorloom/${name}\n\n${description}\n\n\`\`\`sh\nnpm install @tensorloom/${name}\n\`\`\`\n`);
write('src/index.ts', `/**\n * ${description}\n *\n * @packageDocumentation\n */\nexport {};\n`);
write('src/index.test.ts', `import { tf } from '@tensorloom/core';
import { describe, expect, it } from 'vitest';

// A starter test: replace it with the tests of the first unit you add (values against a
// reference, gradients against finite differences, error messages, no leaks).
describe('@tensorloom/${name}', () => {
  it('loads without creating tensors', async () => {
    const before = tf.memory().numTensors;
    const entry = await import('./index.js');
    expect(typeof entry).toBe('object');
    expect(tf.memory().numTensors).toBe(before);
  });
});
`);
const slug = `${name}-initial`;
console.log(`created packages/${name} (@tensorloom/${name}, tags type:lib, ${scopeTag}) with a starter test.

Still to do:
  1. npm install                      # links the new workspace
  2. eslint.config.js: add a depConstraints rule for '${scopeTag}', e.g.
       { sourceTag: '${scopeTag}', onlyDependOnLibsWithTags: ['scope:core'] },
     (lint fails for a package whose tags have no rule)
  3. README.md: add a row for @tensorloom/${name} to the Packages table
  4. .changeset/${slug}.md: a changeset for the new package, e.g.
       ---
       "@tensorloom/${name}": minor
       ---

       ${description}
  5. check it: npx vitest run --project @tensorloom/${name} && npx eslint packages/${name}`);

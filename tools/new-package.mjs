#!/usr/bin/env node
// Creates a new library package with the layout every Tensorloom package shares.
//
// Usage: npm run new-package -- <name> "<one-line description>" [scope-tag]
//   e.g. npm run new-package -- losses "Loss functions." scope:train
// Then: add its tag's rule to eslint.config.js if it is a new scope, and run `npm install`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [name, description, scopeTag = `scope:${name}`] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name) || !description) {
  console.error('usage: npm run new-package -- <name: lowercase-with-dashes> "<description>" [scope-tag]');
  process.exit(1);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'packages', name);
if (existsSync(dir)) {
  console.error(`packages/${name} already exists`);
  process.exit(1);
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
console.log(`created packages/${name}; now run npm install`);

import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import tensorloom from './tools/eslint/module-boundaries.js';

/**
 * Dependency rules (docs/architecture.md, "Dependency rules"). Tags live in each project's package.json under `nx.tags`.
 * - scope:core imports no other Tensorloom project;
 * - backends import only core and other backends; data, layers and metrics import only core (not each other);
 * - datasets: data + core; models: layers + core; train: layers, metrics + core;
 * - apps may import any library, never another app;
 * - tools may import anything.
 * Every project needs a rule for one of its tags, and may import only the @tensorloom packages
 * its package.json declares (tools/eslint/module-boundaries.js).
 */
const depConstraints = [
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: [] },
  // A backend may build on another backend's kernels: backend-native keeps backend-wasm's
  // light kernels and replaces the heavy ones (it shares the wasm heap and its tensors).
  { sourceTag: 'type:backend', onlyDependOnLibsWithTags: ['scope:core', 'type:backend'] },
  { sourceTag: 'scope:data', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:layers', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:metrics', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:datasets', onlyDependOnLibsWithTags: ['scope:core', 'scope:data'] },
  { sourceTag: 'scope:models', onlyDependOnLibsWithTags: ['scope:core', 'scope:layers'] },
  { sourceTag: 'scope:interop', onlyDependOnLibsWithTags: ['scope:core', 'scope:layers', 'scope:models'] },
  { sourceTag: 'scope:train', onlyDependOnLibsWithTags: ['scope:core', 'scope:layers', 'scope:metrics'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:backend', 'type:app-kit'] },
  { sourceTag: 'type:app-kit', onlyDependOnLibsWithTags: ['type:lib', 'type:backend'] },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'docs-site/**', '**/*.generated.*', 'packages/core/src/internal/tfjs-registrations.js', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { tensorloom },
    rules: {
      'tensorloom/module-boundaries': ['error', { depConstraints }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);

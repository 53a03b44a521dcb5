// The backend-wasm suite on tfjs's threaded wasm build (2 threads), the check behind
// packages/backend-wasm/README.md's "Threads in Node" (not part of `npm test`):
//   npx vitest run --config tools/bench/perf/wasm-threads.vitest.config.ts
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@tensorloom\/([a-z0-9-]+)\/node$/, replacement: `${root}packages/$1/src/node.ts` },
      { find: /^@tensorloom\/([a-z0-9-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    root: `${root}packages/backend-wasm`,
    include: ['src/**/*.test.ts'],
    setupFiles: [`${root}tools/bench/perf/wasm-threads-setup.ts`],
  },
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import { encodeSubset } from './src/mnist-subset.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const wasmDir = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
const SUBSET_FILE = 'mnist-subset.bin';

/** Cross-origin isolation, so the wasm backend may use threads (SharedArrayBuffer). */
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

function subsetBytes(): Uint8Array {
  const byClass = Array.from({ length: 10 }, (_, d) => {
    const file = require.resolve(`mnist/src/digits/${d}.json`);
    return (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data;
  });
  return encodeSubset(byClass);
}

/**
 * Serves (dev) and emits (build) the static assets the worker fetches: tfjs-backend-wasm's
 * three binaries under `tfjs-wasm/`, and the MNIST subset made from the `mnist` package.
 */
function playgroundAssets(): Plugin {
  let subset: Uint8Array | null = null;
  const getSubset = () => (subset ??= subsetBytes());
  return {
    name: 'tensorloom-playground-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0]!;
        const wasm = WASM_FILES.find((f) => path.endsWith(`/tfjs-wasm/${f}`));
        if (wasm !== undefined) {
          res.setHeader('Content-Type', 'application/wasm');
          res.end(readFileSync(join(wasmDir, wasm)));
        } else if (path.endsWith(`/${SUBSET_FILE}`)) {
          res.setHeader('Content-Type', 'application/octet-stream');
          res.end(getSubset());
        } else next();
      });
    },
    generateBundle() {
      for (const f of WASM_FILES) this.emitFile({ type: 'asset', fileName: `tfjs-wasm/${f}`, source: readFileSync(join(wasmDir, f)) });
      this.emitFile({ type: 'asset', fileName: SUBSET_FILE, source: getSubset() });
    },
  };
}

export default defineConfig({
  base: './',
  resolve: {
    // The libraries' TypeScript sources, as in the tests: the app needs no prior build.
    alias: [
      { find: /^@tensorloom\/([a-z0-9-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
    ],
  },
  plugins: [playgroundAssets()],
  worker: { format: 'es' },
  // esbuild's minifier, not Vite's default (oxc): tfjs-backend-wasm starts each pthread of
  // its threaded build from a blob holding its factory's source (`factory.toString()`), and
  // oxc's output of that function refers to names outside it ("ReferenceError: e is not
  // defined" in every pthread, and the backend never initialises). esbuild's stays whole.
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, minify: 'esbuild' },
  server: { headers: isolation },
  preview: { headers: isolation },
});

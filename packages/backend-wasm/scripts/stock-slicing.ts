// Measurement only, for A/B runs of a benchmark: preloaded with `--import`, it makes
// `useBackend('wasm')` end with tfjs-backend-wasm 4.22's own Slice, SplitV and Unpack in
// place of this package's, i.e. the state before they were replaced. Everything else this
// package registers stays.
//
//   node --import tsx --import ./packages/backend-wasm/scripts/stock-slicing.ts \
//     tools/bench/layers.ts --backend wasm --model lstm --repeats 15
import { registerBackendProvider, tf } from '@tensorloom/core';
import '../src/index.js';
import { wasmProvider } from '../src/internal/provider.js';
import { original } from '../src/internal/wasm.js';

registerBackendProvider({
  ...wasmProvider,
  setup: async () => {
    await wasmProvider.setup(); // registers this package's kernels, ours among them
    for (const name of [tf.Slice, tf.SplitV, tf.Unpack]) {
      tf.unregisterKernel(name, 'wasm');
      tf.registerKernel(original(name));
    }
    console.error('stock-slicing.ts: tfjs-backend-wasm\'s own Slice, SplitV and Unpack are registered');
  },
});

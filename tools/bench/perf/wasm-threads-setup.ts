// Setup file of wasm-threads.vitest.config.ts: every test file that starts the wasm backend
// starts it threaded, and fails unless its pool has 2 threads.
import { afterAll } from 'vitest';
import { tf } from '@tensorloom/core';
import { enableWasmThreads, wasmThreads } from './wasm-threads.js';

enableWasmThreads(2);
afterAll(() => {
  if (!('wasm' in tf.engine().registry)) return; // this file never started wasm
  if (wasmThreads() !== 2) throw new Error(`wasm threads: expected 2, got ${wasmThreads()}`);
});

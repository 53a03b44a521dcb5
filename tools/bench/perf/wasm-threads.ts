// Measurement aid, not a feature: turns on tfjs-backend-wasm 4.22's threaded SIMD build in
// Node, which tfjs does not do, to measure it (packages/backend-wasm/README.md, "Threads in
// Node"). Three things stand in the way, and this works around each:
//
// 1. tfjs hands Emscripten the pthread worker script as a `blob:` URL
//    (`URL.createObjectURL(new Blob([wasmWorkerContents]))`), which Node's `Worker` refuses
//    (ERR_WORKER_PATH). Here that blob's URL is a real file: the same worker script (read
//    from tfjs's own wasm-out/*.worker.js module) written to a temporary folder.
// 2. Each worker then loads the main script from `mainScriptUrlOrBlob`, a Blob of the
//    factory's source, through `URL.createObjectURL` + `importScripts` (`fs.readFileSync` in
//    Node). The worker file starts with a line that maps that Blob to the package's own
//    wasm-out/tfjs-backend-wasm-threaded-simd.js, the same factory as a file.
// 3. tfjs's C++ caps the thread pool at `emscripten_num_logical_cores() / 2` (it assumes
//    two hyper-threads a core), `os.cpus().length / 2` in Node: 1 on a 2-core machine,
//    whatever `setThreadsCount` asks. `os.cpus` reports each CPU twice while the backend
//    starts.
//
// Call before the wasm backend initialises (before `useBackend('wasm')`).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { join } from 'node:path';
import { tf } from '@tensorloom/core';
import '@tensorloom/backend-wasm';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

/** Makes the next wasm backend start use tfjs's threaded SIMD build with `threads` threads. */
export function enableWasmThreads(threads: number): void {
  const require = createRequire(import.meta.url);
  const workerModule = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
  const mainScript = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require(workerModule) as { wasmWorkerContents: string };
  const workerFile = join(mkdtempSync(join(os.tmpdir(), 'tfjs-wasm-threads-')), 'pthread-worker.cjs');
  const main = JSON.stringify(mainScript);
  const prelude =
    `{const U=require('node:url').URL;const create=U.createObjectURL;const revoke=U.revokeObjectURL;` +
    `U.createObjectURL=(b)=>(b!==null&&typeof b==='object'&&typeof b.size==='number'?${main}:create(b));` +
    `U.revokeObjectURL=(u)=>{if(u!==${main})revoke(u);};}\n`;
  // tfjs escapes the newlines of the contents the same way before making its Blob.
  writeFileSync(workerFile, prelude + wasmWorkerContents.replace(/\n/g, '\\n'));
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = (b: Blob) => (b.type === 'application/javascript' ? workerFile : createObjectURL(b));
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  const cpus = os.cpus;
  const mutableOs = require('node:os') as { cpus: typeof os.cpus };
  mutableOs.cpus = () => [...cpus(), ...cpus()];
  // The C++ reads the count once, when the module instantiates (the backend's start).
  setTimeout(() => (mutableOs.cpus = cpus), 10_000).unref();
}

/** The threads of the started wasm backend's pool (tfjs's `getThreadsCount`). */
export function wasmThreads(): number {
  return getThreadsCount();
}

// What slicing costs on tfjs-backend-wasm 4.22, at the shapes of the LSTM benchmark
// (28 time steps, batch 64, 128 units): the cause of most of the gap between our LSTM and
// tfjs-layers' on wasm (see tools/bench/README.md, `layers`).
//
//   node --import tsx tools/bench/layers/wasm-slice.ts
//
// tfjs-backend-wasm's Slice starts with `backend.readSync(x.dataId)`, which copies the whole
// input off the wasm heap (`HEAPU8.slice`), and its SplitV and Unpack call that Slice once
// per output: cutting a tensor into k parts copies it k times. The last line times an
// Unpack that reads a heap view instead (registered here only, then tfjs's is put back).
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { tf, useBackend } from '@tensorloom/core';
import '@tensorloom/backend-wasm';
import * as cli from '../../cli.mjs';
import type { Command } from '../../cli.mjs';

/** Best mean over 5 runs of `reps` calls, ms per call (outputs disposed in the loop). */
function time(fn: () => tf.Tensor | tf.Tensor[], reps = 100): number {
  for (let i = 0; i < 10; i++) tf.dispose(fn());
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const start = performance.now();
    for (let i = 0; i < reps; i++) tf.dispose(fn());
    best = Math.min(best, (performance.now() - start) / reps);
  }
  return best;
}

/** The slice of the backend this file uses. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** Unpack along axis 0 (float32) copying each output from a view of the input on the heap. */
const heapViewUnpack: tf.KernelConfig = {
  kernelName: 'Unpack',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.value as tf.TensorInfo;
    const heap = backend as unknown as WasmHeap;
    if ((attrs as { axis: number }).axis !== 0 || x.dtype !== 'float32') throw new Error('heapViewUnpack: float32 along axis 0 only');
    const [count, ...shape] = x.shape as number[];
    const size = shape.reduce((a, b) => a * b, 1);
    // Allocate every output first: an allocation may grow the heap and detach older views.
    const outputs = Array.from({ length: count! }, () => heap.makeOutput(shape, x.dtype));
    const values = heap.typedArrayFromHeap(x);
    outputs.forEach((o, i) => heap.typedArrayFromHeap(o).set(values.subarray(i * size, (i + 1) * size)));
    return outputs;
  },
};

/** The script's command: no options, `--help` says what it times. */
export function command(): Command {
  return cli.command('wasm-slice', "Times tfjs-backend-wasm 4.22's Slice, SplitV and Unpack at the LSTM benchmark's shapes.");
}

/** Prints the table. */
export async function main(args: readonly string[] = process.argv.slice(2)): Promise<void> {
  cli.parse(command(), args);
  await useBackend('wasm');
  const projected = tf.randomNormal([28, 64, 128]); // (T, B, U): one gate's input projection
  const gates = tf.randomNormal([64, 512]); // (B, 4U): one time step's pre-activations
  const rows: Record<string, string> = {};
  const add = (label: string, ms: number): void => {
    rows[label] = `${ms.toFixed(3)} ms`;
  };
  add('slice [28,64,128] → one step [1,64,128]', time(() => tf.slice(projected, [3, 0, 0], [1, 64, 128])));
  add('unstack [28,64,128] → 28 × [64,128]', time(() => tf.unstack(projected)));
  add('split [28,64,128] into 6+6+6+6+4 steps', time(() => tf.split(projected, [6, 6, 6, 6, 4], 0)));
  // The two-level cut recurrentScan used before backend-wasm's in-place Unpack: √T-step chunks, then unstack each.
  add('split into 6-step chunks, unstack each (one gate)', time(() => tf.split(projected, [6, 6, 6, 6, 4], 0).flatMap((c) => tf.unstack(c))));
  // What tfjs-layers' LSTM cell does, once per time step.
  add('28 × split [64,512] into 4 gates (tfjs-layers)', time(() => Array.from({ length: 28 }, () => tf.split(gates, 4, 1)).flat()));
  const stock = tf.getKernel('Unpack', 'wasm')!;
  tf.unregisterKernel('Unpack', 'wasm');
  tf.registerKernel(heapViewUnpack);
  try {
    add('unstack [28,64,128], Unpack from a heap view', time(() => tf.unstack(projected)));
  } finally {
    tf.unregisterKernel('Unpack', 'wasm');
    tf.registerKernel(stock);
  }
  tf.dispose([projected, gates]);
  console.log('tfjs-backend-wasm slicing, best mean of 5 × 100 calls:');
  console.table(rows);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}

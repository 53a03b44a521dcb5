// Shared by the Slice, SplitV and Unpack tests: inputs whose every element differs, and
// the exact outputs (shape, dtype, values) of one computation on cpu and on wasm.
import { tf } from '@tensorloom/core';
import '../src/index.js';

/** The dtypes tfjs-backend-wasm keeps on its heap. */
export const heapDtypes = ['float32', 'int32', 'bool'] as const;
/** One of {@link heapDtypes}. */
export type HeapDtype = (typeof heapDtypes)[number];

/**
 * A tensor of `shape` whose elements tell their flat index apart (bool repeats, having two
 * values). float32 data also holds NaN, -0 and ±Infinity, which a copy must keep bit for bit.
 */
export function patterned(shape: readonly number[], dtype: HeapDtype | 'string'): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const index = Array.from({ length: n }, (_, i) => i);
  if (dtype === 'string') return tf.tensor(index.map((i) => `s${i}`), [...shape], 'string');
  if (dtype === 'bool') return tf.tensor(index.map((i) => (i * 7) % 3 === 0), [...shape], 'bool');
  if (dtype === 'int32') return tf.tensor(index.map((i) => 3 * i - 50), [...shape], 'int32');
  const special = [Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  return tf.tensor(index.map((i) => (i % 11 === 5 ? (special[(i / 11) % 4 | 0] as number) : 0.5 * i - 7.25)), [...shape], 'float32');
}

/** What a test compares: everything a tensor is. */
export interface Read {
  shape: number[];
  dtype: string;
  values: unknown[];
}

/** Runs `make` under tidy on `backend` and reads its outputs back exactly. */
export async function readOn(backend: 'cpu' | 'wasm', make: () => tf.Tensor | tf.Tensor[]): Promise<Read[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(make);
  const list = Array.isArray(out) ? out : [out];
  const read = list.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync() as ArrayLike<unknown>) }));
  tf.dispose(list);
  return read;
}

/** The outputs of `make` on cpu (the reference) and on wasm. */
export async function readOnBoth(make: () => tf.Tensor | tf.Tensor[]): Promise<{ cpu: Read[]; wasm: Read[] }> {
  return { cpu: await readOn('cpu', make), wasm: await readOn('wasm', make) };
}

/** The message `run` throws on `backend`, or `null` when it does not throw. */
export async function messageOn(backend: 'cpu' | 'wasm', run: () => unknown): Promise<string | null> {
  await tf.setBackend(backend);
  try {
    tf.tidy(() => {
      run();
    });
  } catch (e) {
    return (e as Error).message;
  }
  return null;
}

/** The wasm module's heap bytes now (emscripten replaces the array when the heap grows). */
export function wasmHeap(): Uint8Array {
  return (tf.findBackend('wasm') as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8;
}

// Running a kernel as a cached ONNX Runtime session over tensors on the wasm heap.
//
// One session per kernel signature (operator, shapes, attributes), created on first use
// and kept, least recently used first out once the sessions' estimated memory passes a
// budget. Inputs are read and outputs written in place on the wasm heap: ORT is handed
// Float32Array views of the tensors' bytes, so no data is copied in either direction.
import { availableParallelism } from 'node:os';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ConfigError, type tf } from '@tensorloom/core';
import { encodeModel, type OnnxGraph } from './onnx.js';
import { createSession, ortTensor, type OrtTensor, type Session } from './ort.js';

/** A cached session and the memory it is estimated to hold between runs. */
interface Cached {
  session: Session;
  bytes: number;
}

// Map order is use order: a hit moves its entry to the end, eviction takes from the front.
const sessions = new Map<string, Cached>();
let threads = availableParallelism();
let heldBytes = 0;
/**
 * ORT's memory arena keeps each session's peak intermediates between runs. Measured on the
 * fused LSTM sessions (batch 64, 128 units, 4 to 32 steps): about 3.5 times the bytes of the
 * session's inputs and outputs, so the estimate is 4 times them.
 */
const HELD_PER_IO_BYTE = 4;
let budgetBytes = 4 * 1024 ** 3;

/** The intra-op thread count of new sessions. */
export function nativeThreads(): number {
  return threads;
}

/** Sets the intra-op thread count; sessions made with another count are dropped. */
export function setNativeThreads(count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new ConfigError(`setNativeThreads: count expected an integer >= 1, got ${count}`);
  }
  if (count === threads) return;
  threads = count;
  clearSessions();
}

/** Disposes every cached session. */
export function clearSessions(): void {
  for (const c of sessions.values()) c.session.dispose();
  sessions.clear();
  heldBytes = 0;
}

/** How many sessions are cached (one per kernel signature seen, until the budget evicts). */
export function sessionCount(): number {
  return sessions.size;
}

/** The estimated bytes the cached sessions hold, and the budget they are kept under. */
export function sessionMemory(): { heldBytes: number; budgetBytes: number } {
  return { heldBytes, budgetBytes };
}

/** Sets the sessions' memory budget in bytes (evicting least recently used sessions at once if over it). */
export function setSessionBudget(bytes: number): void {
  if (!(Number.isFinite(bytes) && bytes >= 0)) {
    throw new ConfigError(`setNativeSessionBudget: bytes expected a finite number >= 0, got ${bytes}`);
  }
  budgetBytes = bytes;
  evict(null);
}

/** Disposes least recently used sessions, never `keep`, until the estimate fits the budget. */
function evict(keep: string | null): void {
  for (const [key, c] of sessions) {
    if (heldBytes <= budgetBytes) return;
    if (key === keep) continue;
    c.session.dispose();
    sessions.delete(key);
    heldBytes -= c.bytes;
  }
}

/** A graph input: a tensor, optionally seen with another shape of the same size. */
export interface GraphInput {
  info: tf.TensorInfo;
  shape?: readonly number[];
}

/**
 * Runs the graph cached under `key` (built by `build` the first time) on `inputs`, named
 * `x0, x1, …` in the graph, and returns new float32 outputs `y0, y1, …` of `outShapes`.
 */
export function runGraph(
  backend: BackendWasm,
  key: string,
  build: () => OnnxGraph,
  inputs: readonly GraphInput[],
  outShapes: readonly (readonly number[])[],
): tf.TensorInfo[] {
  let cached = sessions.get(key);
  if (cached === undefined) {
    const ioBytes = 4 * [...inputs.map((i) => i.shape ?? i.info.shape), ...outShapes].reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
    cached = { session: createSession(encodeModel(build()), threads), bytes: HELD_PER_IO_BYTE * ioBytes };
    heldBytes += cached.bytes;
    sessions.set(key, cached);
    evict(key);
  } else {
    sessions.delete(key); // most recently used goes last
    sessions.set(key, cached);
  }
  const session = cached.session;
  const outs = outShapes.map((shape) => backend.makeOutput([...shape], 'float32'));
  // Views are taken after the last allocation: growing the heap detaches older ones.
  const feeds: Record<string, OrtTensor> = {};
  inputs.forEach((input, i) => {
    feeds[`x${i}`] = ortTensor(backend.typedArrayFromHeap(input.info) as Float32Array, input.shape ?? input.info.shape);
  });
  const fetches: Record<string, OrtTensor> = {};
  outs.forEach((out, i) => {
    fetches[`y${i}`] = ortTensor(backend.typedArrayFromHeap(out) as Float32Array, out.shape);
  });
  try {
    session.run(feeds, fetches);
  } catch (e) {
    for (const out of outs) backend.disposeData(out.dataId);
    throw e;
  }
  return outs;
}

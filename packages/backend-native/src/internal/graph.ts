// Running a kernel as a cached ONNX Runtime session over tensors on the wasm heap.
//
// One session per kernel signature (operator, shapes, attributes), created on first use
// and kept. Inputs are read and outputs written in place on the wasm heap: ORT is handed
// Float32Array views of the tensors' bytes, so no data is copied in either direction.
import { availableParallelism } from 'node:os';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { ConfigError, type tf } from '@tensorloom/core';
import { encodeModel, type OnnxGraph } from './onnx.js';
import { createSession, ortTensor, type OrtTensor, type Session } from './ort.js';

const sessions = new Map<string, Session>();
let threads = availableParallelism();

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
  for (const s of sessions.values()) s.dispose();
  sessions.clear();
}

/** How many sessions are cached (one per kernel signature seen). */
export function sessionCount(): number {
  return sessions.size;
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
  let session = sessions.get(key);
  if (session === undefined) {
    session = createSession(encodeModel(build()), threads);
    sessions.set(key, session);
  }
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

// The one place that touches onnxruntime-node's native binding.
//
// tfjs kernels are synchronous, so the kernels here need ONNX Runtime's synchronous run.
// onnxruntime-node 1.30.0 has one: its public `InferenceSession.run()` is a promise around
// `setImmediate(() => binding.InferenceSession#run(feeds, fetches, options))`, and the
// binding's `run` computes in the calling thread and returns. This file loads the binding
// the way onnxruntime-node's own `dist/backend.js` does and calls that `run` directly, with
// outputs preallocated (ORT writes into the arrays it is given). The version is pinned
// exactly in package.json; `checkSynchronousRun` (run by the provider's setup and by a
// test) fails loudly should a later version make the binding's `run` asynchronous.
import { createRequire } from 'node:module';
import { BackendError } from '@tensorloom/core';
import { encodeModel } from './onnx.js';

/** An onnxruntime-common `Tensor` (only what is passed to the binding). */
export interface OrtTensor {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

type OrtTensorClass = new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;

interface BindingSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor | null>, options: object): unknown;
  dispose(): void;
}

interface Binding {
  InferenceSession: new () => BindingSession;
}

/** The version of onnxruntime-node this adapter was written and checked against. */
export const ORT_VERSION = '1.30.0';

interface Loaded {
  binding: Binding;
  Tensor: OrtTensorClass;
  version: string;
}

let loaded: Loaded | undefined;

/** Loads onnxruntime-node and its binding once; throws a BackendError saying why it cannot. */
export function loadOrt(): Loaded {
  if (loaded !== undefined) return loaded;
  const require = createRequire(import.meta.url);
  try {
    const version = (require('onnxruntime-node/package.json') as { version: string }).version;
    const ort = require('onnxruntime-node') as { Tensor: OrtTensorClass };
    const bindingModule = require('onnxruntime-node/dist/binding.js') as { binding: Binding; initOrt(): void };
    bindingModule.initOrt();
    loaded = { binding: bindingModule.binding, Tensor: ort.Tensor, version };
    return loaded;
  } catch (cause) {
    throw new BackendError(
      `@tensorloom/backend-native: onnxruntime-node expected loadable on ${process.platform}-${process.arch}, got: ${(cause as Error).message.split('\n')[0]}`,
      { cause, help: `npm install onnxruntime-node@${ORT_VERSION} (its CPU runtime ships inside the package for Linux x64/arm64, macOS and Windows)` },
    );
  }
}

/** A float32 ORT tensor over `data` (no copy: ORT reads or writes these bytes in place). */
export function ortTensor(data: Float32Array, dims: readonly number[]): OrtTensor {
  return new (loadOrt().Tensor)('float32', data, dims);
}

/** A loaded model whose `run` computes synchronously into preallocated outputs. */
export interface Session {
  /** Runs the model: reads `feeds`, writes every output into the tensor of `fetches`. */
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor>): void;
  dispose(): void;
}

/** Loads an ONNX model with `threads` intra-op threads (sequential execution). */
export function createSession(model: Uint8Array, threads: number): Session {
  const { binding } = loadOrt();
  const session = new binding.InferenceSession();
  session.loadModel(model.buffer, model.byteOffset, model.byteLength, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    // ORT's pool threads spin between runs by default; between our kernel calls the wasm
    // kernels run on the main thread, so spinning only burns the cores they need.
    extra: { session: { intra_op: { allow_spinning: process.env.TENSORLOOM_ORT_SPIN ?? '0' } } },
  });
  return {
    run(feeds, fetches) {
      const result = session.run(feeds, fetches, {});
      if (result instanceof Promise) {
        result.catch(() => {});
        throw asyncRunError();
      }
    },
    dispose() {
      session.dispose();
    },
  };
}

function asyncRunError(): BackendError {
  return new BackendError(
    `@tensorloom/backend-native: onnxruntime-node's binding run expected synchronous (as in ${ORT_VERSION}), got a Promise`,
    { help: `tfjs kernels must return synchronously; pin onnxruntime-node to ${ORT_VERSION} or adapt src/internal/ort.ts` },
  );
}

/**
 * Proves that the binding still runs synchronously into preallocated outputs: a 2×2 MatMul
 * must have written its result by the time `run` returns. Throws a BackendError otherwise.
 */
export function checkSynchronousRun(): void {
  const { binding, version } = loadOrt();
  if (typeof binding?.InferenceSession !== 'function') {
    throw new BackendError(
      `@tensorloom/backend-native: onnxruntime-node ${version}'s binding expected to export InferenceSession, got ${typeof binding?.InferenceSession}`,
    );
  }
  const model = encodeModel({
    inputs: [{ name: 'a', shape: [2, 2] }, { name: 'b', shape: [2, 2] }],
    outputs: [{ name: 'y', shape: [2, 2] }],
    nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] }],
  });
  const session = createSession(model, 1);
  try {
    const y = new Float32Array(4);
    session.run(
      { a: ortTensor(new Float32Array([1, 2, 3, 4]), [2, 2]), b: ortTensor(new Float32Array([5, 6, 7, 8]), [2, 2]) },
      { y: ortTensor(y, [2, 2]) },
    );
    if (y.join() !== '19,22,43,50') {
      throw new BackendError(
        `@tensorloom/backend-native: onnxruntime-node ${version}'s synchronous run expected to fill the preallocated output with 19,22,43,50, got ${y.join()}`,
        { help: `pin onnxruntime-node to ${ORT_VERSION} or adapt src/internal/ort.ts` },
      );
    }
  } finally {
    session.dispose();
  }
}

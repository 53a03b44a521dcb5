// The backend: `auto` takes the fastest one installed — backend-native (onnxruntime) when it
// loads, then wasm, then cpu. backend-native is an optional dependency of this app.
import { tf, useBackend } from '@tensorloom/core';
import '@tensorloom/backend-wasm';

/** Backends the `--backend` flag accepts. */
export const BACKENDS = ['auto', 'native', 'wasm', 'cpu'] as const;
/** A `--backend` value. */
export type BackendFlag = (typeof BACKENDS)[number];

let native: { setNativeKernelChoice(mode: 'timed' | 'fixed'): 'timed' | 'fixed' } | null = null;

/** Registers the optional native backend when it is installed, then selects `flag`; returns the backend in use. */
export async function selectBackend(flag: BackendFlag): Promise<string> {
  if (flag === 'auto' || flag === 'native') {
    try {
      native = await import('@tensorloom/backend-native');
    } catch (cause) {
      if (flag === 'native') throw new Error(`--backend native: @tensorloom/backend-native did not load`, { cause });
    }
  }
  return useBackend(flag);
}

/**
 * Runs `fn` with the native backend's kernel choice fixed by shape (`setNativeKernelChoice('fixed')`)
 * when native is the backend in use, so the figures it computes are the same bits in every
 * process: the test figures a `train` writes and the ones `evaluate` recomputes. Training
 * itself keeps the timed choice, which is faster. On other backends `fn` just runs.
 */
export async function withReproducibleKernels<T>(fn: () => Promise<T> | T): Promise<T> {
  if (native === null || tf.getBackend() !== 'native') return fn();
  const previous = native.setNativeKernelChoice('fixed');
  try {
    return await fn();
  } finally {
    native.setNativeKernelChoice(previous);
  }
}

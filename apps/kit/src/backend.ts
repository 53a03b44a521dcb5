// The backend: `auto` takes the fastest one installed — backend-native (onnxruntime) when it
// loads, then wasm, then cpu. backend-native is an optional dependency of this app.
import { useBackend } from '@tensorloom/core';
import '@tensorloom/backend-wasm';

/** Backends the `--backend` flag accepts. */
export const BACKENDS = ['auto', 'native', 'wasm', 'cpu'] as const;
/** A `--backend` value. */
export type BackendFlag = (typeof BACKENDS)[number];

/** Registers the optional native backend when it is installed, then selects `flag`; returns the backend in use. */
export async function selectBackend(flag: BackendFlag): Promise<string> {
  if (flag === 'auto' || flag === 'native') {
    try {
      await import('@tensorloom/backend-native');
    } catch (cause) {
      if (flag === 'native') throw new Error(`--backend native: @tensorloom/backend-native did not load`, { cause });
    }
  }
  return useBackend(flag);
}

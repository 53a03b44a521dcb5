import { setWasmPaths as tfjsSetWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * The names of the three WebAssembly binaries tfjs-backend-wasm chooses from: plain, SIMD,
 * and SIMD with threads.
 *
 * @example
 * ```ts
 * const simd: WasmBinaryName = 'tfjs-backend-wasm-simd.wasm';
 * ```
 */
export type WasmBinaryName =
  | 'tfjs-backend-wasm.wasm'
  | 'tfjs-backend-wasm-simd.wasm'
  | 'tfjs-backend-wasm-threaded-simd.wasm';

/**
 * Tells tfjs-backend-wasm where to fetch its `.wasm` binaries from, for browser bundles
 * that do not serve them next to the script. Call it before `useBackend('wasm')` (or
 * `'auto'`). Node never needs it: there the binaries are read from the installed package.
 *
 * @param prefixOrFileMap - a URL prefix ending in `/` under which all three binaries are
 *   served, or a map from each binary's name to its full URL (all three names required).
 * @param usePlatformFetch - fetch with tfjs's platform `fetch` instead of Emscripten's
 *   loader. Default `false`.
 * @throws Error from tfjs-backend-wasm when the backend was already initialised, or when
 *   the map misses a binary.
 * @example
 * ```ts
 * import { useBackend } from '@tensorloom/core';
 * import { setWasmPaths } from '@tensorloom/backend-wasm';
 * setWasmPaths('/assets/tfjs-wasm/'); // serves node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm
 * await useBackend('wasm');
 * ```
 */
export function setWasmPaths(
  prefixOrFileMap: string | Record<WasmBinaryName, string>,
  usePlatformFetch = false,
): void {
  tfjsSetWasmPaths(prefixOrFileMap, usePlatformFetch);
}

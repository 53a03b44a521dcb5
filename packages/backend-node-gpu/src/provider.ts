import { BackendError, registerBackendProvider } from '@tensorloom/core';
import type { BackendProvider } from '@tensorloom/core';

/**
 * What to run to get the backend, printed in the error when it is missing.
 *
 * @example
 * ```ts
 * console.log(NODE_GPU_INSTALL_HELP);
 * ```
 */
export const NODE_GPU_INSTALL_HELP =
  'npm install @tensorflow/tfjs-node-gpu@4.22.0 — needs Linux x64, an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1, ' +
  'and network access at install time (it downloads libtensorflow); then call useBackend(\'node-gpu\') again';

/**
 * Options of {@link createNodeGpuProvider}.
 *
 * @example
 * ```ts
 * createNodeGpuProvider({ load: () => import('@tensorflow/tfjs-node-gpu') });
 * ```
 */
export interface NodeGpuProviderOptions {
  /**
   * Loads `@tensorflow/tfjs-node-gpu`, which registers the `'tensorflow'` backend with
   * tfjs-core as a side effect. Default: a dynamic import of that package.
   */
  load?: () => Promise<unknown>;
  /** The tfjs backend name the package registers. Default `'tensorflow'`. */
  tfjsName?: string;
}

// A variable specifier: bundlers and TypeScript must not try to resolve the optional peer.
const PACKAGE = '@tensorflow/tfjs-node-gpu';

/**
 * Builds the `'node-gpu'` backend provider. The package's import calls it with the defaults;
 * tests pass a fake loader.
 *
 * @example
 * ```ts
 * registerBackendProvider(createNodeGpuProvider());
 * ```
 */
export function createNodeGpuProvider(options: NodeGpuProviderOptions = {}): BackendProvider {
  const load = options.load ?? (() => import(/* @vite-ignore */ PACKAGE));
  let loaded: Promise<unknown> | null = null;
  return {
    name: 'node-gpu',
    tfjsName: options.tfjsName ?? 'tensorflow',
    priority: 100,
    packageName: '@tensorloom/backend-node-gpu',
    setup: async () => {
      try {
        loaded ??= load();
        await loaded;
      } catch (cause) {
        loaded = null;
        throw new BackendError(`backend 'node-gpu': ${PACKAGE} could not be loaded (${(cause as Error).message.split('\n')[0]})`, {
          cause,
          help: NODE_GPU_INSTALL_HELP,
        });
      }
    },
  };
}

/**
 * Registers the `'node-gpu'` provider with core. Importing the package does this once; call
 * it again only after replacing the provider (tests).
 *
 * @example
 * ```ts
 * registerNodeGpuBackend();
 * await useBackend('auto'); // 'node-gpu' when tfjs-node-gpu and CUDA are present
 * ```
 */
export function registerNodeGpuBackend(options?: NodeGpuProviderOptions): void {
  registerBackendProvider(createNodeGpuProvider(options));
}

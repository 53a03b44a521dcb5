import * as tf from '@tensorflow/tfjs-core';
import { BackendError, ConfigError } from './errors.js';

/**
 * The backends Tensorloom knows by name.
 *
 * - `cpu`: `@tensorflow/tfjs-backend-cpu`, always available (core registers it).
 * - `wasm`: `@tensorloom/backend-wasm`, tfjs's WebAssembly backend plus the training kernels it lacks.
 * - `node-gpu`: `@tensorloom/backend-node-gpu`, CUDA through `@tensorflow/tfjs-node-gpu`.
 * - `native`: `@tensorloom/backend-native`, fast CPU kernels for Node.
 *
 * @example
 * ```ts
 * const name: BackendName = 'wasm';
 * ```
 *
 * @group Backends
 */
export type BackendName = 'cpu' | 'wasm' | 'node-gpu' | 'native';

/**
 * What a backend package tells core about itself when it is imported.
 *
 * @example
 * ```ts
 * registerBackendProvider({
 *   name: 'wasm', tfjsName: 'wasm', priority: 20, packageName: '@tensorloom/backend-wasm',
 *   setup: async () => {},
 * });
 * ```
 *
 * @group Backends
 */
export interface BackendProvider {
  /** The Tensorloom name. */
  name: BackendName;
  /** The name the backend has in tfjs-core's registry (`tf.setBackend(tfjsName)`). */
  tfjsName: string;
  /**
   * Higher is faster; `'auto'` tries providers from the highest priority down. Ours:
   * node-gpu 100, native 30 (ONNX Runtime for the heavy kernels, wasm for the rest), wasm 20,
   * cpu 1.
   */
  priority: number;
  /** The npm package that provides it, for messages. */
  packageName: string;
  /**
   * Makes the backend ready to be set (registers it with tfjs, loads binaries). Throws a
   * {@link BackendError} saying what is missing when it cannot.
   */
  setup(): Promise<void>;
}

/** Where to get a backend that is not registered: the install command and what it needs. */
const INSTALL_HELP: Record<BackendName, string> = {
  cpu: "import '@tensorloom/core' registers it; reinstall @tensorloom/core",
  wasm: "npm install @tensorloom/backend-wasm, then import '@tensorloom/backend-wasm' once at start-up",
  'node-gpu':
    "npm install @tensorloom/backend-node-gpu @tensorflow/tfjs-node-gpu@4.22.0 (Linux x64 with CUDA 11.2 and cuDNN 8.1; the install downloads libtensorflow), then import '@tensorloom/backend-node-gpu'",
  native: "npm install @tensorloom/backend-native, then import '@tensorloom/backend-native'",
};

const KNOWN: readonly string[] = ['cpu', 'wasm', 'node-gpu', 'native'];

// Kept on globalThis so that two copies of core in one program (a bundling mistake) still
// share one registry, as tfjs-core does with its own registries.
const registryKey = Symbol.for('tensorloom.core.backendProviders');
type Registry = Map<BackendName, BackendProvider>;
function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  return (g[registryKey] ??= new Map());
}

/**
 * Adds a backend to the registry. Backend packages call this when imported; a later call
 * with the same name replaces the earlier one.
 *
 * @throws {@link ConfigError} when the name is not a known backend name.
 * @example
 * ```ts
 * registerBackendProvider({ name: 'native', tfjsName: 'native', priority: 30,
 *   packageName: '@tensorloom/backend-native', setup: async () => {} });
 * ```
 *
 * @group Backends
 */
export function registerBackendProvider(provider: BackendProvider): void {
  if (!KNOWN.includes(provider.name)) {
    throw new ConfigError(
      `registerBackendProvider: name expected one of ${KNOWN.join(', ')}, got '${provider.name}'`,
    );
  }
  registry().set(provider.name, provider);
}

/**
 * The names of the backends registered in this program, fastest first.
 *
 * @example
 * ```ts
 * import '@tensorloom/backend-wasm';
 * registeredBackends(); // ['wasm', 'cpu']
 * ```
 *
 * @group Backends
 */
export function registeredBackends(): BackendName[] {
  return [...registry().values()].sort((a, b) => b.priority - a.priority).map((p) => p.name);
}

/**
 * The Tensorloom name of the backend in use (or tfjs's own name, for a backend registered
 * with tfjs directly).
 *
 * @example
 * ```ts
 * await useBackend('cpu');
 * currentBackend(); // 'cpu'
 * ```
 *
 * @group Backends
 */
export function currentBackend(): string {
  const tfjsName = tf.getBackend();
  for (const p of registry().values()) if (p.tfjsName === tfjsName) return p.name;
  return tfjsName;
}

async function activate(provider: BackendProvider): Promise<void> {
  await provider.setup();
  let ok: boolean;
  try {
    ok = await tf.setBackend(provider.tfjsName);
  } catch (cause) {
    throw new BackendError(`backend '${provider.name}' failed to initialise`, { cause });
  }
  if (!ok) {
    throw new BackendError(`backend '${provider.name}' failed to initialise (tf.setBackend returned false)`);
  }
  await tf.ready();
}

/**
 * Selects the backend every following tensor operation runs on.
 *
 * `'auto'` tries the registered backends from the fastest down (node-gpu, native, wasm,
 * cpu), skips those that fail to initialise, and resolves to the name it picked.
 *
 * @param name - a backend name, or `'auto'`.
 * @returns the name of the backend now in use.
 * @throws {@link BackendError} naming the package to install when the backend is not
 *   registered, or the reason when it does not initialise.
 * @example
 * ```ts
 * import { useBackend } from '@tensorloom/core';
 * import '@tensorloom/backend-wasm';
 * const picked = await useBackend('auto');
 * console.log(`training on ${picked}`);
 * ```
 *
 * @group Backends
 */
export async function useBackend(name: BackendName | 'auto'): Promise<BackendName> {
  if (name === 'auto') {
    const failures: string[] = [];
    for (const candidate of registeredBackends()) {
      const provider = registry().get(candidate) as BackendProvider;
      try {
        await activate(provider);
        return candidate;
      } catch (e) {
        failures.push(`${candidate}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    throw new BackendError(`useBackend('auto'): no registered backend initialised (${failures.join('; ')})`);
  }
  if (!KNOWN.includes(name)) {
    throw new BackendError(`useBackend: name expected one of ${[...KNOWN, 'auto'].join(', ')}, got '${name}'`);
  }
  const provider = registry().get(name);
  if (provider === undefined) {
    throw new BackendError(`useBackend('${name}'): backend '${name}' is not registered`, {
      help: INSTALL_HELP[name],
    });
  }
  await activate(provider);
  return name;
}

registerBackendProvider({
  name: 'cpu',
  tfjsName: 'cpu',
  priority: 1,
  packageName: '@tensorflow/tfjs-backend-cpu',
  setup: async () => {},
});

import { describe, expect, it } from 'vitest';
import { BackendError, ConfigError, currentBackend, registerBackendProvider, registeredBackends, tf, useBackend } from '@tensorloom/core';

describe('backend registry', () => {
  it('has cpu registered by core and selects it', async () => {
    expect(registeredBackends()).toContain('cpu');
    await expect(useBackend('cpu')).resolves.toBe('cpu');
    expect(currentBackend()).toBe('cpu');
  });

  it("'auto' picks the fastest backend that initialises and skips broken ones", async () => {
    registerBackendProvider({
      name: 'native',
      tfjsName: 'tensorloom-test-broken',
      priority: 50,
      packageName: '@tensorloom/backend-native',
      setup: async () => {
        throw new BackendError('no runtime here');
      },
    });
    expect(registeredBackends()[0]).toBe('native');
    await expect(useBackend('auto')).resolves.toBe('cpu');
    await expect(useBackend('native')).rejects.toThrowError('no runtime here');
  });

  it('names the package to install for a backend that is not registered', async () => {
    await expect(useBackend('wasm')).rejects.toThrowError(
      new BackendError("useBackend('wasm'): backend 'wasm' is not registered", {
        help: "npm install @tensorloom/backend-wasm, then import '@tensorloom/backend-wasm' once at start-up",
      }),
    );
    await expect(useBackend('node-gpu')).rejects.toThrowError(/npm install @tensorloom\/backend-node-gpu @tensorflow\/tfjs-node-gpu@4\.22\.0 \(Linux x64 with CUDA/);
  });

  it('rejects unknown names', async () => {
    await expect(useBackend('tpu' as never)).rejects.toThrowError(
      "useBackend: name expected one of cpu, wasm, node-gpu, native, auto, got 'tpu'",
    );
    expect(() => registerBackendProvider({ name: 'tpu' as never, tfjsName: 'x', priority: 1, packageName: 'x', setup: async () => {} })).toThrowError(ConfigError);
    expect(tf.getBackend()).toBe('cpu');
  });
});

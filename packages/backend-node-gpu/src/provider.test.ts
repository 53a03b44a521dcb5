import { describe, expect, it } from 'vitest';
import { BackendError, currentBackend, registeredBackends, tf, useBackend } from '@tensorloom/core';
import { NODE_GPU_INSTALL_HELP, registerNodeGpuBackend } from '@tensorloom/backend-node-gpu';

describe('@tensorloom/backend-node-gpu', () => {
  it('registers the node-gpu provider on import, fastest first', () => {
    expect(registeredBackends()[0]).toBe('node-gpu');
  });

  it('without @tensorflow/tfjs-node-gpu: useBackend names the install command and CUDA', async () => {
    // Our machines cannot install tfjs-node-gpu (its install downloads libtensorflow), so
    // this is the real absent path, not a simulation.
    const error = await useBackend('node-gpu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(/^backend 'node-gpu': @tensorflow\/tfjs-node-gpu could not be loaded \(/);
    expect((error as BackendError).message).toContain(`\nhelp: ${NODE_GPU_INSTALL_HELP}`);
    expect(NODE_GPU_INSTALL_HELP).toMatch(/npm install @tensorflow\/tfjs-node-gpu@4\.22\.0 .*CUDA 11\.2 and cuDNN 8\.1/);
  });

  it("without it: 'auto' skips it silently and picks the next backend", async () => {
    await expect(useBackend('auto')).resolves.toBe('cpu');
    expect(currentBackend()).toBe('cpu');
  });

  it('with a package that registers its backend: useBackend selects it', async () => {
    // Stands in for tfjs-node-gpu: a loader that registers a backend under the name the
    // real package uses. Proves the provider's load → setBackend → ready path.
    let loads = 0;
    registerNodeGpuBackend({
      tfjsName: 'tensorflow',
      load: async () => {
        loads++;
        tf.registerBackend('tensorflow', tf.findBackendFactory('cpu')!, 0);
      },
    });
    await expect(useBackend('auto')).resolves.toBe('node-gpu');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(currentBackend()).toBe('node-gpu');
    expect(Array.from(tf.tensor([1, 2, 3]).dataSync())).toEqual([1, 2, 3]); // kernels are registered per backend name; data moves through it
    await useBackend('node-gpu');
    expect(loads).toBe(1);
    await useBackend('cpu');
    tf.removeBackend('tensorflow');
  });
});

// The chained methods' types (`t.flatten()`, `t.sum()`): a module augmentation of Tensor that
// ships beside tfjs's registration code. `preserve` keeps it in our emitted .d.ts for users.
/// <reference types="@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.d.ts" preserve="true" />
// Side effect: completes tfjs-core in every environment.
//
// `import '@tensorflow/tfjs-core'` alone registers no gradients and no chained tensor methods
// (`tf.grad` of a sum fails with "gradient function not found for Sum"; `t.flatten` is
// undefined). The generated module registers both into tfjs-core's global registries. It is
// idempotent: registering the same gradient twice only replaces it with itself, so loading
// this file twice (say, from two bundles) is harmless.
//
// tfjs-core itself must load first: the generated module carries its own copy of tfjs's
// engine and Tensor class, and whichever copy loads first becomes the global engine. Had the
// copy won, every tensor would be an instance of its Tensor class, whose op handler is never
// set, so `t.clone()`, `t.print()`, `t.bufferSync()` and the gradient of Cast (used by
// `tf.avgPool`) would throw "Cannot read properties of null".
import * as tf from '@tensorflow/tfjs-core';
import './internal/tfjs-registrations.js';
import '@tensorflow/tfjs-backend-cpu';

// tfjs's cpu backend prints an advert for tfjs-node on its first tensor in Node. That
// package's install needs network access many users lack, and useBackend('auto') already
// picks the fastest backend that is installed, so we create the cpu backend without it.
// (`tf.findBackend` would initialise the backend, so we look at the engine's registry.)
const cpuFactory = tf.findBackendFactory('cpu');
const initialised = (tf.engine() as unknown as { registry: Record<string, unknown> }).registry;
if (cpuFactory !== null && !('cpu' in initialised)) {
  tf.removeBackend('cpu');
  tf.registerBackend('cpu', () => {
    const backend = cpuFactory() as unknown as { firstUse?: boolean };
    backend.firstUse = false;
    return backend as unknown as tf.KernelBackend;
  }, 1);
}

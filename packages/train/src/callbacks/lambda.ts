import type { Callback } from './callback.js';

/**
 * A callback from plain functions (any subset of the hooks), as Keras' LambdaCallback.
 *
 * @param hooks - the hooks to call.
 * @returns the callback.
 * @example
 * ```ts
 * callbacks.lambda({ onEpochEnd: (_ctx, epoch, logs) => console.log(epoch, logs.loss) });
 * ```
 */
export function lambda(hooks: Callback): Callback {
  return { ...hooks };
}

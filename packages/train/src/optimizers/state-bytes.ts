import { FormatError, readSafetensors, writeSafetensors } from '@tensorloom/core';

import type { OptimizerState } from './optimizer.js';

const CONFIG_KEY = 'tensorloom.optimizer_state';

/**
 * Writes an {@link OptimizerState} (an optimizer's, or an EMA's) as safetensors bytes: the slot
 * tensors under their `<paramPath>/<slot>` names, the JSON config in the header metadata. Does not
 * dispose the state's tensors.
 *
 * @param state - from `optimizer.getState()`.
 * @returns the file's bytes.
 * @example
 * ```ts
 * const state = opt.getState();
 * const bytes = optimizers.stateToSafetensors(state);
 * tf.dispose(Object.values(state.tensors));
 * ```
 */
export function stateToSafetensors(state: OptimizerState): Uint8Array {
  return writeSafetensors(state.tensors, { [CONFIG_KEY]: JSON.stringify(state.config) });
}

/**
 * Reads what {@link stateToSafetensors} wrote back into an {@link OptimizerState} for
 * `optimizer.setState` (which is strict about missing and extra entries). The caller disposes the
 * tensors after `setState`.
 *
 * @param bytes - the file's bytes.
 * @param source - a name for the bytes in error messages (the path).
 * @returns the state.
 * @throws FormatError when the bytes are not safetensors or carry no optimizer config.
 * @example
 * ```ts
 * const state = optimizers.stateFromSafetensors(bytes, 'ckpt/optimizer.safetensors');
 * opt.setState(state);
 * tf.dispose(Object.values(state.tensors));
 * ```
 */
export function stateFromSafetensors(bytes: Uint8Array, source = '<bytes>'): OptimizerState {
  const { tensors, metadata } = readSafetensors(bytes, { source });
  const raw = metadata[CONFIG_KEY];
  let config: unknown;
  try {
    config = raw === undefined ? undefined : JSON.parse(raw);
  } catch (cause) {
    config = undefined;
    void cause;
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    for (const t of Object.values(tensors)) t.dispose();
    throw new FormatError(
      `stateFromSafetensors '${source}': metadata['${CONFIG_KEY}'] expected the optimizer's JSON config, got ${raw === undefined ? 'no entry' : JSON.stringify(raw.slice(0, 40))}`,
    );
  }
  return { tensors, config: config as Record<string, unknown> };
}

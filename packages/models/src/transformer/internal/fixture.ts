// Splits a reference fixture (see scripts/sequence_fixtures.py) into our state, inputs and
// outputs. Used by the reference tests; not exported from the package.
import { readSafetensors, tf } from '@tensorloom/core';
import { applyTorchMap } from './torch-map.js';
import type { MapEntry } from './torch-map.js';

/** A loaded fixture; `dispose` releases every tensor in it. */
export interface ReferenceFixture {
  config: Record<string, unknown>;
  state: Record<string, tf.Tensor>;
  ids: tf.Tensor;
  outputs: Record<string, tf.Tensor>;
  dispose(): void;
}

/** Reads the safetensors bytes and the map JSON text of one fixture. */
export function loadFixture(bytes: Uint8Array, mapJson: string): ReferenceFixture {
  const { config, map } = JSON.parse(mapJson) as { config: Record<string, unknown>; map: MapEntry[] };
  const { tensors } = readSafetensors(bytes);
  const torch: Record<string, tf.Tensor> = {};
  const outputs: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (name.startsWith('torch.')) torch[name.slice('torch.'.length)] = t;
    else if (name.startsWith('output.')) outputs[name.slice('output.'.length)] = t;
  }
  const state = applyTorchMap(torch, map);
  tf.dispose(Object.values(torch));
  const ids = tensors['input.ids']!;
  return { config, state, ids, outputs, dispose: () => tf.dispose([...Object.values(state), ids, ...Object.values(outputs)]) };
}

/** The largest absolute difference between two tensors of the same shape. */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

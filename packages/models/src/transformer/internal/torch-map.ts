// Applies a PyTorch → Tensorloom weight-name map (data, see scripts/sequence_fixtures.py) to a
// PyTorch state dict. Used by the reference tests; not exported from the package.
import { ConfigError, tf } from '@tensorloom/core';

/**
 * One step: `["t"]`, `["rows", i, n]`, `["cols", i, n]`, `["reshape", shape]`, `["blocks", order, axis]`
 * (reorder equal blocks of an axis), or `["stack"]` as the first step (stack the sources on a
 * new axis 0 instead of summing them).
 */
export type MapStep = ['t'] | ['rows', number, number] | ['cols', number, number] | ['reshape', number[]] | ['blocks', number[], number] | ['stack'];

/** `[ours, [torch names, summed], [steps]]`. */
export type MapEntry = [string, string[], MapStep[]];

/** Our state (new tensors, the caller disposes them) from `torch` (PyTorch names) through `map`. */
export function applyTorchMap(torch: Record<string, tf.Tensor>, map: readonly MapEntry[]): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [ours, sources, steps] of map) {
    out[ours] = tf.tidy(() => {
      let t = sources
        .map((s) => {
          const v = torch[s];
          if (v === undefined) throw new ConfigError(`applyTorchMap: '${ours}' expected PyTorch entry '${s}', got none`);
          return v;
        })
        .reduce((a, b) => tf.add(a, b));
      for (const step of steps) {
        if (step[0] === 'stack') t = tf.stack(sources.map((s) => torch[s]!));
        else if (step[0] === 'blocks') {
          const parts = tf.split(t, step[1].length, step[2]);
          t = tf.concat(step[1].map((i) => parts[i]!), step[2]);
        } else if (step[0] === 't') t = tf.transpose(t);
        else if (step[0] === 'reshape') t = tf.reshape(t, step[1]);
        else {
          const axis = step[0] === 'rows' ? 0 : 1;
          t = tf.split(t, step[2], axis)[step[1]]!;
        }
      }
      return tf.clone(t);
    });
  }
  return out;
}

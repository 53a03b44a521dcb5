// How a PyTorch state dict maps onto a model whose module keys follow PyTorch's (the CNN
// factories use torchvision's: conv1, bn1, layer1.0.downsample.0, fc). Kept as data so a
// general PyTorch importer can reuse it. Not exported from the package.
import { tf } from '@tensorloom/core';

/**
 * Last name segment: ours → PyTorch's. A conv kernel `[kh, kw, in, out]` is PyTorch's
 * `weight` `[out, in, kh, kw]` (OIHW → HWIO, axes [2, 3, 1, 0]); a dense kernel `[in, out]`
 * is `nn.Linear.weight` `[out, in]` transposed; batch norm's `gamma`, `beta`, `movingMean`,
 * `movingVariance` are `weight`, `bias`, `running_mean`, `running_var` unchanged.
 * PyTorch's `num_batches_tracked` has no counterpart.
 */
export const TORCH_SUFFIXES = {
  kernel: { torch: 'weight', layout: 'kernel' },
  bias: { torch: 'bias', layout: 'same' },
  gamma: { torch: 'weight', layout: 'same' },
  beta: { torch: 'bias', layout: 'same' },
  movingMean: { torch: 'running_mean', layout: 'same' },
  movingVariance: { torch: 'running_var', layout: 'same' },
} as const;

/** The PyTorch name of one of our dotted names (`layer1.0.bn1.movingMean` → `layer1.0.bn1.running_mean`). */
export function torchName(name: string): string {
  const i = name.lastIndexOf('.');
  const last = name.slice(i + 1) as keyof typeof TORCH_SUFFIXES;
  const entry = TORCH_SUFFIXES[last];
  if (entry === undefined) throw new Error(`no PyTorch name for '${name}'`);
  return `${name.slice(0, i + 1)}${entry.torch}`;
}

/** A PyTorch tensor in our layout for the entry `name` (see {@link TORCH_SUFFIXES}). */
export function fromTorchLayout(name: string, t: tf.Tensor): tf.Tensor {
  if (!name.endsWith('.kernel')) return tf.clone(t);
  if (t.rank === 4) return tf.transpose(t, [2, 3, 1, 0]); // OIHW → HWIO
  if (t.rank === 2) return tf.transpose(t); // [out, in] → [in, out]
  throw new Error(`unexpected rank ${t.rank} for '${name}'`);
}

/** Our state map from a PyTorch state dict, for every name `ours` lists; `source` keys are PyTorch names. */
export function stateFromTorch(ours: readonly string[], source: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const name of ours) {
    const t = source[torchName(name)];
    if (t === undefined) throw new Error(`PyTorch state has no '${torchName(name)}' for '${name}'`);
    out[name] = fromTorchLayout(name, t);
  }
  return out;
}

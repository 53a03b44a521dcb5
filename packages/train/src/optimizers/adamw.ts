import { AdamFamily } from './adam-core.js';
import type { AdamOptions } from './adam-core.js';
import type { Optimizer } from './optimizer.js';

/**
 * AdamW (Loshchilov & Hutter, https://arxiv.org/abs/1711.05101): Adam with decoupled weight decay,
 * the update of `torch.optim.AdamW`: `θ ← θ(1 − ηλ)`, then the Adam step of {@link adam} on the bare
 * gradient. Slots: `m`, `v` (and `vMax` with amsgrad).
 *
 * @param options - {@link AdamOptions}; learning rate default 1e-3, weight decay default 0.01.
 * @returns an {@link Optimizer} named `'adamw'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.adamW({ learningRate: 1e-3, weightDecay: 0.05, groups: noDecayGroups() });
 * ```
 */
export function adamW(options: AdamOptions = {}): Optimizer {
  return new AdamFamily('adamw', options, 0.01);
}

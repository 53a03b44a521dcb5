import { AdamFamily } from './adam-core.js';
import type { AdamOptions } from './adam-core.js';
import type { Optimizer } from './optimizer.js';

/**
 * Adam (Kingma & Ba, https://arxiv.org/abs/1412.6980), the update of `torch.optim.Adam`:
 * `g ← ∇ + λθ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)`,
 * with `amsgrad` using the running maximum of `v` (Reddi et al., https://openreview.net/forum?id=ryQu7f-RZ).
 * Weight decay here is the L2 term in the gradient; use {@link adamW} for decoupled decay.
 * Slots: `m`, `v` (and `vMax` with amsgrad); `t` counts each parameter's own updates.
 *
 * @param options - {@link AdamOptions}; learning rate default 1e-3, weight decay default 0.
 * @returns an {@link Optimizer} named `'adam'`.
 * @throws ConfigError naming the option when one is out of range.
 * @example
 * ```ts
 * const opt = optimizers.adam({ learningRate: 1e-3, amsgrad: true });
 * opt.apply(model.trainableParameters(), grads);
 * ```
 */
export function adam(options: AdamOptions = {}): Optimizer {
  return new AdamFamily('adam', options, 0);
}

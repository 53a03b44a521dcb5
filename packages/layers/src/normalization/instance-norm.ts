import { GroupNorm } from './group-norm.js';
import type { GroupNormConfig } from './group-norm.js';

/**
 * Configuration of {@link InstanceNorm}: {@link GroupNormConfig} without `groups`.
 *
 * @example
 * ```ts
 * const config: InstanceNormConfig = { epsilon: 1e-5 };
 * ```
 *
 * @group Normalization
 */
export type InstanceNormConfig = Omit<GroupNormConfig, 'groups'>;

/**
 * Instance normalisation (Ulyanov et al. 2016, https://arxiv.org/abs/1607.08022): each
 * channel of each example normalised over its spatial (or time) axes — {@link GroupNorm}
 * with one group per channel. tfjs-layers has no equivalent.
 *
 * Input shape: `[batch, ..., channels]` (rank ≥ 3 to have something to normalise over).
 * Output shape: the input's.
 *
 * Parameters: `gamma`, `beta` `[channels]`.
 *
 * @example
 * ```ts
 * const norm = new InstanceNorm().build([null, 64, 64, 3], rng(1));
 * ```
 *
 * @group Normalization
 */
export class InstanceNorm extends GroupNorm {
  constructor(config: InstanceNormConfig = {}) {
    super({ ...config, groups: null });
  }
}

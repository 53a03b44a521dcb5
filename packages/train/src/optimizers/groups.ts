import type { ParamGroup } from './optimizer.js';

/**
 * Options of {@link noDecayGroups}.
 *
 * @example
 * ```ts
 * const options: NoDecayGroupsOptions = { extra: [/\.pos_embedding$/] };
 * ```
 */
export interface NoDecayGroupsOptions {
  /** More paths to exempt from decay (each a RegExp on the dotted path). */
  extra?: RegExp[];
  /** The last path segments to exempt; default `['gamma', 'beta', 'bias']` (the bias and the norm layers' scale and offset). */
  names?: string[];
}

/**
 * The common recipe's parameter groups: no weight decay on biases and normalization parameters
 * (`….bias`, `….gamma`, `….beta`, the names Tensorloom's layers give them), so decay only shrinks
 * kernels and embeddings. Put more groups before or after it as needed (the first match wins).
 *
 * @param options - {@link NoDecayGroupsOptions}.
 * @returns the groups to pass as `groups`.
 * @example
 * ```ts
 * const opt = optimizers.adamW({ weightDecay: 0.05, groups: optimizers.noDecayGroups() });
 * ```
 */
export function noDecayGroups(options: NoDecayGroupsOptions = {}): ParamGroup[] {
  const names = options.names ?? ['gamma', 'beta', 'bias'];
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const groups: ParamGroup[] = [{ match: new RegExp(`(^|\\.)(${escaped.join('|')})$`), weightDecay: 0 }];
  for (const re of options.extra ?? []) groups.push({ match: re, weightDecay: 0 });
  return groups;
}

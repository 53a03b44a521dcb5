import type { InitializerLike } from '../initializers/initializers.js';
import type { ModuleConfig, ParameterOptions } from '../module/module.js';
import type { Constraint, Regularizer } from '../regularizers/regularizers.js';

/**
 * Configuration shared by the layers with one `kernel` and an optional `bias`
 * ({@link Dense}, {@link MultiAxisDense}, {@link Conv1D}, {@link Conv2D},
 * {@link Conv2DTranspose}): whether there is a bias, and how each parameter is initialised,
 * penalised and projected.
 *
 * @example
 * ```ts
 * const shared: KernelLayerConfig = { kernelInitializer: 'heNormal', kernelRegularizer: l2(1e-4) };
 * const fc = new Dense({ units: 10, ...shared });
 * const conv = new Conv2D({ filters: 8, kernelSize: 3, ...shared });
 * ```
 *
 * @group Core layers
 */
export interface KernelLayerConfig extends ModuleConfig {
  /** Whether to add a bias. Default `true`. */
  useBias?: boolean;
  /** Kernel initializer. Default `'glorotUniform'`. */
  kernelInitializer?: InitializerLike;
  /** Bias initializer. Default `'zeros'`. */
  biasInitializer?: InitializerLike;
  /** Kernel penalty. Default none. */
  kernelRegularizer?: Regularizer | null;
  /** Bias penalty. Default none. */
  biasRegularizer?: Regularizer | null;
  /** Kernel projection after each step. Default none. */
  kernelConstraint?: Constraint | null;
  /** Bias projection after each step. Default none. */
  biasConstraint?: Constraint | null;
}

/**
 * The {@link KernelLayerConfig} fields of `config` with their defaults applied (and no others).
 *
 * @group Core layers
 */
export function resolveKernelLayerConfig(config: KernelLayerConfig): Required<Omit<KernelLayerConfig, 'name'>> {
  return {
    useBias: config.useBias ?? true,
    kernelInitializer: config.kernelInitializer ?? 'glorotUniform',
    biasInitializer: config.biasInitializer ?? 'zeros',
    kernelRegularizer: config.kernelRegularizer ?? null,
    biasRegularizer: config.biasRegularizer ?? null,
    kernelConstraint: config.kernelConstraint ?? null,
    biasConstraint: config.biasConstraint ?? null,
  };
}

/**
 * The `addParameter` options of the parameter that a resolved config names by `prefix`: its
 * `<prefix>Regularizer` and `<prefix>Constraint` (`'kernel'`, `'bias'`, `'depthwise'`, ...).
 *
 * @group Core layers
 */
export function parameterOptions<P extends string>(
  config: Record<`${P}Regularizer`, Regularizer | null> & Record<`${P}Constraint`, Constraint | null>,
  prefix: P,
): ParameterOptions {
  const regularizers: Record<`${P}Regularizer`, Regularizer | null> = config;
  const constraints: Record<`${P}Constraint`, Constraint | null> = config;
  return { regularizer: regularizers[`${prefix}Regularizer`], constraint: constraints[`${prefix}Constraint`] };
}

/**
 * `@tensorloom/layers`: the {@link Module} base class, every layer, initializers,
 * activations, regularizers and constraints.
 *
 * @example
 * ```ts
 * import { rng, tf } from '@tensorloom/core';
 * import { Sequential, Dense } from '@tensorloom/layers';
 * const model = new Sequential([new Dense({ units: 32, activation: 'relu' }), new Dense({ units: 10 })])
 *   .build([null, 784], rng(42));
 * console.log(model.summary());
 * ```
 *
 * @packageDocumentation
 */
export { Module, defaultName } from './module/module.js';
export type { Shape, ShapeOf, TensorTree, ApplyOptions, ParameterOptions, ModuleConfig, ParamCounts } from './module/module.js';
export type { LoadStateOptions, LoadReport, ShapeMismatch, FreezeSelector, FreezeUpTo, ParameterShape } from './module/module.js';
export { Sequential } from './module/sequential.js';

/**
 * Parameter initializers: `zeros`, `ones`, `constant`, `randomUniform`, `randomNormal`,
 * `truncatedNormal`, `varianceScaling`, Glorot/He/LeCun uniform and normal, `orthogonal`.
 *
 * @example
 * ```ts
 * new Dense({ units: 10, kernelInitializer: initializers.heNormal() });
 * ```
 *
 * @group Initializers
 */
export * as initializers from './initializers/initializers.js';
export type { Initializer, InitializerLike, InitializerName, Fans, FanMode } from './initializers/initializers.js';
export { l1, l2, l1l2, maxNorm, nonNeg, unitNorm } from './regularizers/regularizers.js';
export type { Regularizer, Constraint } from './regularizers/regularizers.js';

export { getActivation } from './core/activations.js';
export type { ActivationName, ActivationFn } from './core/activations.js';
export { Dense, dense, denseOutputShape } from './core/dense.js';
export type { DenseConfig } from './core/dense.js';
export type { KernelLayerConfig } from './core/kernel-layer-config.js';

export { Dropout, dropout, checkRate } from './regularization/dropout.js';
export type { DropoutConfig } from './regularization/dropout.js';
export { SpatialDropout1D, SpatialDropout2D } from './regularization/spatial-dropout.js';
export type { SpatialDropoutConfig } from './regularization/spatial-dropout.js';
export { GaussianNoise, GaussianDropout, AlphaDropout } from './regularization/noise.js';
export type { GaussianNoiseConfig, NoiseDropoutConfig } from './regularization/noise.js';

export * from './conv/index.js';
export * from './normalization/index.js';
export * from './recurrent/index.js';
export * from './attention/index.js';

export { Activation } from './core/activation.js';
export type { ActivationConfig } from './core/activation.js';
export { Flatten, Reshape, Permute, Identity, flattenOutputShape, reshapeOutputShape } from './core/reshaping.js';
export type { ReshapeConfig, PermuteConfig } from './core/reshaping.js';
export { Add, Multiply, Concatenate, concatenateOutputShape } from './core/merge.js';
export type { ConcatenateConfig } from './core/merge.js';

import { ConfigError, ShapeError, assert, formatShape, tf } from '@tensorloom/core';
import { Module } from '../module/module.js';
import type { ApplyOptions, Shape } from '../module/module.js';
import { FUSABLE, getActivation } from './activations.js';
import type { ActivationFn, ActivationName } from './activations.js';
import { parameterOptions, resolveKernelLayerConfig } from './kernel-layer-config.js';
import type { KernelLayerConfig } from './kernel-layer-config.js';

/**
 * Configuration of {@link Dense}.
 *
 * @example
 * ```ts
 * const config: DenseConfig = { units: 10, activation: 'relu' };
 * ```
 *
 * @group Core layers
 */
export interface DenseConfig extends KernelLayerConfig {
  /** Output features. Required, a positive integer. */
  units: number;
  /** Activation applied to the output; fused into the matMul kernel when tfjs can. Default `'linear'`. */
  activation?: ActivationName | ActivationFn;
}

/**
 * The output shape of {@link Dense}: the last axis becomes `units`.
 *
 * @example
 * ```ts
 * denseOutputShape([null, 5, 784], 10); // [null, 5, 10]
 * ```
 *
 * @group Core layers
 */
export function denseOutputShape(inputShape: Shape, units: number): Shape {
  return [...inputShape.slice(0, -1), units];
}

/**
 * The Dense computation `activation(x · kernel + bias)` over the last axis of `x`.
 *
 * @param x - `[..., inFeatures]`.
 * @param kernel - `[inFeatures, units]`.
 * @param bias - `[units]` or `null`.
 * @returns `[..., units]`.
 * @example
 * ```ts
 * const y = dense(x, kernel, bias, 'relu');
 * ```
 *
 * @group Core layers
 */
export function dense(
  x: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor | null,
  activation: ActivationName | ActivationFn = 'linear',
): tf.Tensor {
  return tf.tidy(() => {
    const inFeatures = kernel.shape[0]!;
    const units = kernel.shape[1]!;
    const x2 = x.rank === 2 ? x : tf.reshape(x, [-1, inFeatures]); // (N, in)
    let y: tf.Tensor;
    if (typeof activation === 'string' && FUSABLE.has(activation)) {
      y = tf.fused.matMul({
        a: x2 as tf.Tensor2D,
        b: kernel as tf.Tensor2D,
        bias: bias ?? undefined,
        activation: activation === 'linear' ? 'linear' : (activation as 'relu' | 'relu6' | 'elu' | 'sigmoid'),
      });
    } else {
      const z = tf.matMul(x2, kernel);
      y = getActivation(activation)(bias === null ? z : tf.add(z, bias));
    }
    return x.rank === 2 ? y : tf.reshape(y, [...x.shape.slice(0, -1), units]); // (..., units)
  });
}

/**
 * A fully connected layer: `activation(x · kernel + bias)` over the last axis.
 *
 * Input shape: `[batch, ..., inFeatures]` (rank ≥ 2).
 * Output shape: `[batch, ..., units]`.
 *
 * Parameters: `kernel` `[inFeatures, units]`, `bias` `[units]` (or `null` with `useBias: false`).
 *
 * @example
 * ```ts
 * const fc = new Dense({ units: 10, activation: 'relu', name: 'fc1' }).build([null, 784], rng(1));
 * const y = fc.apply(tf.zeros([32, 784])); // [32, 10]
 * ```
 *
 * @group Core layers
 */
export class Dense extends Module {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<DenseConfig, 'name'>>;
  /** `[inFeatures, units]`, after build. */
  kernel: tf.Variable | null = null;
  /** `[units]`, or `null` without bias. */
  bias: tf.Variable | null = null;

  constructor(config: DenseConfig) {
    super(config);
    if (!Number.isInteger(config.units) || config.units <= 0) {
      throw new ConfigError(`Dense '${this.name}': units expected a positive integer, got ${config.units}`);
    }
    getActivation(config.activation ?? 'linear', `Dense '${this.name}'`);
    this.config = {
      units: config.units,
      activation: config.activation ?? 'linear',
      ...resolveKernelLayerConfig(config),
    };
  }

  protected override onBuild(inputShape: Shape): void {
    const inFeatures = inputShape[inputShape.length - 1];
    assert(
      inputShape.length >= 2 && typeof inFeatures === 'number',
      () => new ShapeError(`${this.label}: input expected rank >= 2 [batch, ..., features] with known features, got ${formatShape(inputShape)}`),
    );
    const c = this.config;
    this.kernel = this.addParameter('kernel', [inFeatures, c.units], c.kernelInitializer, parameterOptions(c, 'kernel'));
    this.bias = c.useBias
      ? this.addParameter('bias', [c.units], c.biasInitializer, parameterOptions(c, 'bias'))
      : null;
  }

  override outputShape(inputShape: Shape): Shape {
    return denseOutputShape(inputShape, this.config.units);
  }

  protected call(x: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    const inFeatures = this.kernel!.shape[0]!;
    if (x.rank < 2) {
      throw new ShapeError(`${this.label}: input expected rank >= 2 [batch, ..., features], got shape ${formatShape(x.shape)}`, {
        help: 'add the batch axis, e.g. x.expandDims(0) for one sample',
      });
    }
    if (x.shape[x.rank - 1] !== inFeatures) {
      throw new ShapeError(`${this.label}: input axis -1 expected ${inFeatures}, got shape ${formatShape(x.shape)}`);
    }
    return dense(x, this.kernel!, this.bias, this.config.activation);
  }
}

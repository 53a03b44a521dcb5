import { tf } from '@tensorloom/core';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';
import { getActivation } from './activations.js';
import type { ActivationFn, ActivationName } from './activations.js';

/**
 * Configuration of {@link Activation}.
 *
 * @example
 * ```ts
 * const config: ActivationConfig = { activation: 'gelu' };
 * ```
 *
 * @group Core layers
 */
export interface ActivationConfig extends ModuleConfig {
  /** The function: a name (`'relu'`, `'gelu'`, `'softmax'`, ...) or a function. Required. */
  activation: ActivationName | ActivationFn;
}

/**
 * Applies an activation function elementwise (`softmax`/`logSoftmax` over the last axis).
 *
 * Input shape: any. Output shape: the input's.
 *
 * @example
 * ```ts
 * const y = new Activation({ activation: 'relu' }).apply(tf.tensor([-1, 2])); // [0, 2]
 * ```
 *
 * @group Core layers
 */
export class Activation extends Module {
  /** The resolved function. */
  readonly fn: ActivationFn;

  constructor(config: ActivationConfig) {
    super(config);
    this.fn = getActivation(config.activation, `Activation '${this.name}'`);
  }

  protected override onBuild(): void {}

  override outputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  protected call(x: tf.Tensor, _options: ApplyOptions): tf.Tensor {
    return tf.tidy(() => {
      const y = this.fn(x);
      return y === x ? tf.clone(x) : y;
    });
  }
}

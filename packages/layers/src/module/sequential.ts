import { ConfigError, tf } from '@tensorloom/core';
import { Module } from './module.js';
import type { ApplyOptions, ModuleConfig, Shape } from './module.js';

/**
 * A stack of modules, each applied to the output of the one before. Masks propagate: each
 * layer receives the mask computed by the previous one (`computeMask`).
 *
 * Children are keyed by their names; repeated names get `_1`, `_2` suffixes in order
 * (`dense`, `dense_1`), so checkpoint keys are stable for a given architecture.
 *
 * Input shape: whatever the first layer takes.
 * Output shape: whatever the last layer returns.
 *
 * @example
 * ```ts
 * const model = new Sequential([
 *   new Dense({ units: 64, activation: 'relu' }),
 *   new Dense({ units: 10 }),
 * ], { name: 'mlp' }).build([null, 784], rng(1));
 * const logits = model.apply(x);
 * ```
 */
export class Sequential extends Module {
  /** The layers, in order. */
  readonly layers: readonly Module<tf.Tensor, tf.Tensor>[];

  constructor(layers: readonly Module<tf.Tensor, tf.Tensor>[], config: ModuleConfig = {}) {
    super(config);
    if (layers.length === 0) throw new ConfigError(`Sequential '${this.name}': layers expected at least 1, got 0`);
    this.layers = [...layers];
    const used = new Set<string>();
    for (const layer of layers) {
      let key = layer.name;
      for (let i = 1; used.has(key); i++) key = `${layer.name}_${i}`;
      used.add(key);
      this.addModule(key, layer);
    }
  }

  protected override onBuild(inputShape: Shape): void {
    let shape = inputShape;
    this.layers.forEach((layer) => {
      layer.build(shape);
      shape = layer.outputShape(shape);
    });
  }

  override outputShape(inputShape: Shape): Shape {
    return this.layers.reduce((shape, layer) => layer.outputShape(shape), inputShape);
  }

  protected call(input: tf.Tensor, options: ApplyOptions): tf.Tensor {
    return tf.tidy(() => {
      let x = input;
      let mask = options.mask ?? null;
      for (const layer of this.layers) {
        const y = layer.apply(x, { ...options, mask });
        mask = layer.computeMask(x, mask);
        x = y;
      }
      return x;
    });
  }
}

import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Module } from './module.js';
import type { ApplyOptions, ModuleConfig, Shape } from './module.js';

/**
 * A stack of modules, each applied to the output of the one before. Masks propagate: each
 * layer receives the mask computed by the previous one (`computeMask`).
 *
 * Children are keyed by their names; repeated names get `_1`, `_2` suffixes in order
 * (`dense`, `dense_1`), so checkpoint keys are stable for a given architecture.
 *
 * Input shape: whatever the first layer takes. An input unlike the shape the model was built
 * for, which the stack then cannot run, is a `ShapeError` naming the model, the axis and the
 * built shape (not the failure of a layer deep inside); build with `null` on axes that vary.
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
 *
 * @group Modules
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
    // An input unlike the built shape is reported for the model, naming it and the shape it
    // was built for, instead of as the failure of a layer deep inside on a shape derived
    // from it. Layers that take any size on an axis (time steps, say) still do: the
    // difference is reported only when the stack cannot run on the input.
    const built = this.builtInputShape as Shape | null;
    let mismatch: unknown = null;
    if (built !== null) {
      try {
        this.checkInputMatchesBuild('input', built, input.shape);
      } catch (e) {
        mismatch = e;
      }
    }
    try {
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
    } catch (cause) {
      if (!(mismatch instanceof ShapeError) || built === null) throw cause;
      throw new ShapeError(mismatch.message, {
        cause,
        help: `the model was built for ${formatShape(built.map((d, i) => (i === 0 ? null : d)))}; build it with null for the axes that vary`,
      });
    }
  }
}

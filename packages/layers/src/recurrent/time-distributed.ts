import { ConfigError, ShapeError, formatShape, tf } from '@tensorloom/core';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';

/**
 * Configuration of {@link TimeDistributed}.
 *
 * @example
 * ```ts
 * const config: TimeDistributedConfig = { layer: new Dense({ units: 10 }) };
 * ```
 *
 * @group Recurrent
 */
export interface TimeDistributedConfig extends ModuleConfig {
  /** The module applied to every time step (unbuilt, without a parent). Required. */
  layer: Module<tf.Tensor, tf.Tensor>;
}

/**
 * The output shape of {@link TimeDistributed}: the inner module's output shape for one
 * folded batch `[batch·time, ...]`, with `[batch, time]` put back in front.
 *
 * @param inputShape - `[batch, time, ...]`.
 * @param innerOutputShape - the inner module's shape function.
 * @example
 * ```ts
 * timeDistributedOutputShape([null, 5, 8], (s) => [s[0]!, 3]); // [null, 5, 3]
 * ```
 *
 * @group Recurrent
 */
export function timeDistributedOutputShape(inputShape: Shape, innerOutputShape: (shape: Shape) => Shape): Shape {
  const [batch, time] = [inputShape[0] ?? null, inputShape[1] ?? null];
  const folded = batch === null || time === null ? null : batch * time;
  const inner = innerOutputShape([folded, ...inputShape.slice(2)]);
  return [batch, time, ...inner.slice(1)];
}

/**
 * Applies `fn` to every time step at once by folding time into the batch:
 * `[batch, time, ...] → [batch·time, ...] → fn → [batch, time, ...]`.
 *
 * @param x - `[batch, time, ...]`, rank ≥ 3.
 * @param fn - a per-sample function of `[n, ...]` returning `[n, ...]`.
 * @returns `[batch, time, ...fn's per-sample shape]`.
 * @example
 * ```ts
 * const y = timeDistributed(x, (t) => tf.relu(t)); // same shape as x
 * ```
 *
 * @group Recurrent
 */
export function timeDistributed(x: tf.Tensor, fn: (folded: tf.Tensor) => tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const [batch, time] = x.shape as [number, number];
    const y = fn(tf.reshape(x, [batch * time, ...x.shape.slice(2)])); // (B·T, ...)
    return tf.reshape(y, [batch, time, ...y.shape.slice(1)]); // (B, T, ...)
  });
}

/**
 * Applies a module to every time step of a sequence, with the same weights for every step,
 * as Keras `TimeDistributed`. Time is folded into the batch, so the module runs once on
 * `[batch·time, ...]`.
 *
 * Input shape: `[batch, time, ...]` (rank ≥ 3).
 * Output shape: `[batch, time, ...]` with the inner module's per-sample output shape.
 *
 * Parameters: the inner module's, under its name (`time_distributed.dense.kernel`).
 *
 * Masks: a mask `[batch, time, ...]` reaches the inner module folded the same way, and
 * passes through unchanged to the next layer.
 *
 * @example
 * ```ts
 * const td = new TimeDistributed({ layer: new Dense({ units: 10 }) });
 * const logits = td.apply(tf.zeros([4, 20, 64])); // [4, 20, 10]
 * ```
 *
 * @group Recurrent
 */
export class TimeDistributed extends Module {
  /** The module applied to every step. */
  readonly layer: Module<tf.Tensor, tf.Tensor>;

  constructor(config: TimeDistributedConfig) {
    super(config);
    if (!(config.layer instanceof Module)) {
      throw new ConfigError(`TimeDistributed '${this.name}': layer expected a Module, got ${String(config.layer)}`);
    }
    this.layer = this.addModule(config.layer.name, config.layer);
  }

  private checkShape(shape: readonly (number | null)[]): void {
    if (shape.length < 3) {
      throw new ShapeError(`${this.label}: input expected rank >= 3 [batch, time, ...], got ${formatShape(shape)}`);
    }
  }

  protected override onBuild(inputShape: Shape): void {
    this.checkShape(inputShape);
    const [batch, time] = inputShape;
    this.layer.build([batch === null || time === null ? null : batch! * time!, ...inputShape.slice(2)]);
  }

  override outputShape(inputShape: Shape): Shape {
    this.checkShape(inputShape);
    return timeDistributedOutputShape(inputShape, (s) => this.layer.outputShape(s));
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    this.checkShape(x.shape);
    const built = this.builtInputShape as Shape;
    for (let axis = 2; axis < built.length; axis++) {
      const want = built[axis];
      if (x.rank !== built.length || (want !== null && want !== x.shape[axis])) {
        throw new ShapeError(`${this.label}: input expected shape ${formatShape([null, null, ...built.slice(2)])}, got ${formatShape(x.shape)}`);
      }
    }
    const [batch, time] = x.shape as [number, number];
    const mask = options.mask ?? null;
    return timeDistributed(x, (folded) =>
      this.layer.apply(folded, {
        ...options,
        mask: mask === null ? null : tf.reshape(mask, [batch * time, ...mask.shape.slice(2)]), // (B·T, ...)
      }),
    );
  }
}

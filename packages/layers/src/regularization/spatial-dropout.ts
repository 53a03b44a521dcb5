import { ShapeError, formatShape, tf } from '@tensorloom/core';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';
import { checkRate, dropout } from './dropout.js';

/**
 * Configuration of {@link SpatialDropout1D} and {@link SpatialDropout2D}.
 *
 * @example
 * ```ts
 * const config: SpatialDropoutConfig = { rate: 0.1 };
 * ```
 *
 * @group Regularization
 */
export interface SpatialDropoutConfig extends ModuleConfig {
  /** Fraction of channels to drop, in [0, 1). Required. */
  rate: number;
}

/** Drops whole channels: one mask entry per (example, channel), shared over the other axes. */
abstract class SpatialDropout extends Module {
  /** Drop probability. */
  readonly rate: number;
  /** The input rank this variant takes. */
  protected abstract readonly rank: number;
  /** How the axes are described in errors. */
  protected abstract readonly layout: string;

  constructor(config: SpatialDropoutConfig) {
    super(config);
    checkRate(`${this.className} '${this.name}'`, config.rate);
    this.rate = config.rate;
  }

  protected override onBuild(inputShape: Shape): void {
    this.check(inputShape);
  }

  private check(shape: Shape): void {
    if (shape.length !== this.rank) {
      throw new ShapeError(`${this.label}: input must be rank ${this.rank} ${this.layout}, got ${formatShape(shape)}`);
    }
  }

  override outputShape(inputShape: Shape): Shape {
    this.check(inputShape);
    return inputShape;
  }

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    this.check(x.shape);
    if (!options.training || this.rate === 0) return tf.clone(x);
    const noise = x.shape.map((d, i) => (i === 0 || i === x.rank - 1 ? d : 1)); // (B, 1.., C)
    return dropout(x, this.rate, this.nextRng(), noise);
  }
}

/**
 * Dropout of whole feature channels of sequences (Tompson et al. 2015,
 * https://arxiv.org/abs/1411.4280): adjacent time steps are strongly correlated, so
 * dropping single entries regularises little.
 *
 * Input shape: `[batch, time, channels]`. Output shape: the input's.
 *
 * @example
 * ```ts
 * const y = new SpatialDropout1D({ rate: 0.2 }).apply(x, { training: true });
 * ```
 *
 * @group Regularization
 */
export class SpatialDropout1D extends SpatialDropout {
  protected readonly rank = 3;
  protected readonly layout = '[batch, time, channels]';
}

/**
 * Dropout of whole feature maps (Tompson et al. 2015, https://arxiv.org/abs/1411.4280).
 *
 * Input shape: `[batch, h, w, channels]`. Output shape: the input's.
 *
 * @example
 * ```ts
 * const y = new SpatialDropout2D({ rate: 0.2 }).apply(x, { training: true });
 * ```
 *
 * @group Regularization
 */
export class SpatialDropout2D extends SpatialDropout {
  protected readonly rank = 4;
  protected readonly layout = '[batch, h, w, channels]';
}

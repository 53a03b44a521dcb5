import { ConfigError, tf } from '@tensorloom/core';
import type { Rng } from '@tensorloom/core';
import { Module } from '../module/module.js';
import type { ApplyOptions, ModuleConfig, Shape } from '../module/module.js';

/**
 * Configuration of {@link Dropout}.
 *
 * @example
 * ```ts
 * const config: DropoutConfig = { rate: 0.25 };
 * ```
 *
 * @group Regularization
 */
export interface DropoutConfig extends ModuleConfig {
  /** Fraction of units to drop, in [0, 1). Required. */
  rate: number;
  /**
   * The shape of the keep mask, broadcast against the input; `null` entries take the
   * input's size. Default: the input's shape (independent units).
   */
  noiseShape?: Shape | null;
}

/**
 * Checks a dropout-like rate, naming the unit.
 *
 * @throws ConfigError when the rate is outside [0, 1).
 * @example
 * ```ts
 * checkRate("Dropout 'drop1'", 0.5); // passes; 1.5 would throw
 * ```
 *
 * @group Regularization
 */
export function checkRate(unit: string, rate: number): void {
  if (!(rate >= 0 && rate < 1)) throw new ConfigError(`${unit}: rate expected a number in [0, 1), got ${rate}`);
}

/**
 * Inverted dropout: zeroes each element with probability `rate` and scales the rest by
 * `1 / (1 - rate)`, so the expected value is unchanged (Srivastava et al. 2014,
 * https://jmlr.org/papers/v15/srivastava14a.html). The mask comes from `rng`.
 *
 * @param x - any shape.
 * @param rate - drop probability in [0, 1).
 * @param rng - the source of the mask.
 * @param noiseShape - mask shape broadcast against `x` (e.g. `[batch, 1, 1, channels]` for
 *   spatial dropout); default `x.shape`.
 * @returns a tensor of `x`'s shape.
 * @example
 * ```ts
 * const y = dropout(x, 0.1, rng(1));
 * ```
 *
 * @group Regularization
 */
export function dropout(x: tf.Tensor, rate: number, rng: Rng, noiseShape: readonly number[] = x.shape): tf.Tensor {
  if (rate === 0) return tf.clone(x);
  return tf.tidy(() => {
    const keep = rng.bernoulliTensor(noiseShape, 1 - rate);
    return tf.mul(x, tf.mul(keep, 1 / (1 - rate)));
  });
}

/**
 * Randomly zeroes inputs during training (inverted dropout); the identity at inference.
 *
 * Input shape: any. Output shape: the input's.
 *
 * @example
 * ```ts
 * const drop = new Dropout({ rate: 0.25 });
 * const y = drop.apply(x, { training: true });
 * ```
 *
 * @group Regularization
 */
export class Dropout extends Module {
  /** Drop probability. */
  readonly rate: number;
  /** Mask shape (`null` → input size), or `null` for the input's shape. */
  readonly noiseShape: Shape | null;

  constructor(config: DropoutConfig) {
    super(config);
    checkRate(`Dropout '${this.name}'`, config.rate);
    this.rate = config.rate;
    this.noiseShape = config.noiseShape ?? null;
  }

  override outputShape(inputShape: Shape): Shape {
    return inputShape;
  }

  protected override onBuild(): void {}

  protected call(x: tf.Tensor, options: ApplyOptions): tf.Tensor {
    if (!options.training || this.rate === 0) return tf.clone(x);
    const shape = this.noiseShape === null ? x.shape : this.noiseShape.map((d, i) => d ?? x.shape[i]!);
    return dropout(x, this.rate, this.nextRng(), shape);
  }
}

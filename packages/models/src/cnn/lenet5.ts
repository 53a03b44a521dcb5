import { Conv2D, Dense, Flatten, MaxPool2D, AvgPool2D, ZeroPadding2D } from '@tensorloom/layers';
import { ConfigError } from '@tensorloom/core';
import { BackboneModel, resolveBackbone } from '../transfer/backbone-model.js';
import type { BackboneConfig } from '../transfer/backbone-model.js';
import type { Layer } from '../transfer/internal/chain.js';
import { oneOf, positiveInt } from '../transfer/internal/validate.js';

/**
 * Configuration of {@link LeNet5}.
 *
 * @example
 * ```ts
 * const config: LeNet5Config = { variant: 'relu', inputSize: 28 };
 * ```
 */
export interface LeNet5Config extends BackboneConfig {
  /**
   * `'original'`: tanh units and average pooling as in the paper; `'relu'`: the modern
   * reading with ReLU and max pooling. Default `'original'`.
   */
  variant?: 'original' | 'relu';
  /** Input height and width: `32` as in the paper, or `28` (MNIST), zero-padded by 2 to 32 first. Default `32`. */
  inputSize?: 28 | 32;
  /** Input channels. Default `1`. */
  inputChannels?: number;
}

/**
 * LeNet-5 (LeCun, Bottou, Bengio & Haffner, "Gradient-Based Learning Applied to Document
 * Recognition", Proc. IEEE 1998, http://yann.lecun.com/exdb/publis/pdf/lecun-98.pdf):
 * `c1` 6@5×5 → `s2` 2×2 pool → `c3` 16@5×5 → `s4` 2×2 pool → `c5` 120@5×5 (1×1 maps) →
 * `f6` 84 → `output`. With `inputSize: 28` a 2-pixel zero border (`pad`) makes the 32×32
 * of the paper.
 *
 * Two simplifications of the paper, as in every modern reading: C3 connects to all six S2
 * maps (the paper's partial connection table is dropped), the pools have no trainable
 * coefficient, and the output is a dense layer of logits instead of Euclidean RBF units.
 *
 * Default config (original, 10 classes): 61,706 trainable parameters (156 + 2,416 + 48,120 + 10,164 + 850).
 *
 * Input shape: `[batch, inputSize, inputSize, inputChannels]`.
 * Output shape: `[batch, classes]`; without the head `[batch, 1, 1, 120]` (or `[batch, 120]` with `pooling`).
 *
 * @example
 * ```ts
 * const model = new LeNet5({ variant: 'relu', inputSize: 28 }).build([null, 28, 28, 1], rng(1));
 * model.apply(tf.zeros([4, 28, 28, 1])).shape; // [4, 10]
 * ```
 */
export class LeNet5 extends BackboneModel {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<LeNet5Config, 'name' | 'pooling' | 'includeTop'>>;

  constructor(config: LeNet5Config = {}) {
    const name = config.name ?? 'lenet5';
    const unit = `LeNet5 '${name}'`;
    const variant = oneOf(unit, 'variant', config.variant ?? 'original', ['original', 'relu'] as const);
    const inputSize = config.inputSize ?? 32;
    if (inputSize !== 28 && inputSize !== 32) throw new ConfigError(`${unit}: inputSize expected 28 or 32, got ${String(inputSize)}`);
    const inputChannels = positiveInt(unit, 'inputChannels', config.inputChannels ?? 1);
    const backbone = resolveBackbone(unit, config, 10);
    const act = variant === 'original' ? 'tanh' : 'relu';
    const pool = (key: string): Layer => (variant === 'original' ? new AvgPool2D({ name: key, poolSize: 2 }) : new MaxPool2D({ name: key, poolSize: 2 }));
    const base: Layer[] = [
      ...(inputSize === 28 ? [new ZeroPadding2D({ name: 'pad', padding: 2 })] : []),
      new Conv2D({ name: 'c1', filters: 6, kernelSize: 5, activation: act }),
      pool('s2'),
      new Conv2D({ name: 'c3', filters: 16, kernelSize: 5, activation: act }),
      pool('s4'),
      new Conv2D({ name: 'c5', filters: 120, kernelSize: 5, activation: act }),
    ];
    super(
      {
        base: base.map((m) => [m.name, m] as const),
        pool: ['flatten', new Flatten({ name: 'flatten' })],
        head: [
          ['f6', new Dense({ name: 'f6', units: 84, activation: act })],
          ['output', new Dense({ name: 'output', units: backbone.classes })],
        ],
      },
      backbone,
      { name },
    );
    this.config = { variant, inputSize, inputChannels, classes: backbone.classes };
  }
}

/**
 * LeNet-5 with ReLU and max pooling ({@link LeNet5} with `variant: 'relu'`): 61,706 parameters with the defaults.
 *
 * @param config - everything but `variant`.
 * @returns the model, unbuilt.
 * @example
 * ```ts
 * const model = lenet5Relu({ inputSize: 28 }).build([null, 28, 28, 1], rng(1));
 * ```
 */
export function lenet5Relu(config: Omit<LeNet5Config, 'variant'> = {}): LeNet5 {
  return new LeNet5({ name: 'lenet5_relu', ...config, variant: 'relu' });
}

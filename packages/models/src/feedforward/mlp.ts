import { Activation, BatchNorm, Dense, Dropout, LayerNorm, Sequential } from '@tensorloom/layers';
import type { ActivationName, ModuleConfig } from '@tensorloom/layers';
import type { Layer } from '../transfer/internal/chain.js';
import { activationName, oneOf, positiveInt, positiveInts, rate } from '../transfer/internal/validate.js';

/**
 * Configuration of {@link MLP}.
 *
 * @example
 * ```ts
 * const config: MLPConfig = { hiddenSizes: [512, 256], dropout: 0.2, normalization: 'layer' };
 * ```
 */
export interface MLPConfig extends ModuleConfig {
  /** Sizes of the hidden layers (none: a linear model). Default `[256, 128]`. */
  hiddenSizes?: readonly number[];
  /** Output units. Default `10`. */
  outputs?: number;
  /** Activation of the hidden layers. Default `'relu'`. */
  activation?: ActivationName;
  /** Activation of the output. Default `'linear'` (logits). */
  outputActivation?: ActivationName;
  /** Dropout rate after each hidden activation. Default `0` (none). */
  dropout?: number;
  /** Normalisation between each hidden dense layer and its activation: `'batch'`, `'layer'` or `null`. Default `null`. */
  normalization?: 'batch' | 'layer' | null;
}

/**
 * A multilayer perceptron (deep feed-forward network; Rumelhart, Hinton & Williams,
 * "Learning representations by back-propagating errors", Nature 1986,
 * https://doi.org/10.1038/323533a0): for each hidden size `fc<i>` → optional
 * `norm<i>` (batch norm, Ioffe & Szegedy 2015, or layer norm, Ba et al. 2016) →
 * `act<i>` → optional `dropout<i>`; then `output`.
 *
 * Default config on 784 inputs (784-256-128-10): 235,146 parameters.
 *
 * Input shape: `[batch, inputs]`. Output shape: `[batch, outputs]`.
 *
 * @example
 * ```ts
 * const mlp = new MLP({ hiddenSizes: [64], outputs: 3, dropout: 0.1 }).build([null, 20], rng(1));
 * const logits = mlp.apply(x, { training: true });
 * ```
 */
export class MLP extends Sequential {
  /** The configuration with defaults applied. */
  readonly config: Required<Omit<MLPConfig, 'name'>>;

  constructor(config: MLPConfig = {}) {
    const name = config.name ?? 'mlp';
    const unit = `MLP '${name}'`;
    const hiddenSizes = positiveInts(unit, 'hiddenSizes', config.hiddenSizes ?? [256, 128], true);
    const outputs = positiveInt(unit, 'outputs', config.outputs ?? 10);
    const dropout = rate(unit, 'dropout', config.dropout ?? 0);
    const normalization = oneOf(unit, 'normalization', config.normalization ?? null, ['batch', 'layer', null] as const);
    const activation = activationName(unit, 'activation', config.activation ?? 'relu');
    const outputActivation = activationName(unit, 'outputActivation', config.outputActivation ?? 'linear');
    const layers: Layer[] = [];
    hiddenSizes.forEach((units, idx) => {
      const i = idx + 1;
      layers.push(new Dense({ name: `fc${i}`, units }));
      if (normalization === 'batch') layers.push(new BatchNorm({ name: `norm${i}` }));
      if (normalization === 'layer') layers.push(new LayerNorm({ name: `norm${i}` }));
      layers.push(new Activation({ name: `act${i}`, activation }));
      if (dropout > 0) layers.push(new Dropout({ name: `dropout${i}`, rate: dropout }));
    });
    layers.push(new Dense({ name: 'output', units: outputs, activation: outputActivation }));
    super(layers, { name });
    this.config = { hiddenSizes, outputs, activation, outputActivation, dropout, normalization };
  }
}

import { tf } from '@tensorloom/core';
import { getActivation } from '../core/activations.js';
import type { ActivationFn, ActivationName } from '../core/activations.js';
import { Recurrent, RecurrentKernel, recurrentScan, tidyResult } from './recurrent.js';
import type { RecurrentConfig, RecurrentStep, RecurrentParameters, RecurrentResult, RecurrentRunOptions } from './recurrent.js';

/**
 * Configuration of {@link SimpleRNN}: the shared {@link RecurrentConfig}.
 *
 * @example
 * ```ts
 * const config: SimpleRNNConfig = { units: 16, activation: 'relu' };
 * ```
 *
 * @group Recurrent
 */
export type SimpleRNNConfig<S extends boolean = boolean> = RecurrentConfig<S>;

/**
 * Options of the functional {@link simpleRnn}.
 *
 * @example
 * ```ts
 * const options: SimpleRNNOptions = { activation: 'relu', returnSequences: true };
 * ```
 *
 * @group Recurrent
 */
export interface SimpleRNNOptions extends RecurrentRunOptions {
  /** Activation of the new state. Default `'tanh'`. */
  activation?: ActivationName | ActivationFn;
}

/**
 * The Elman recurrence over a sequence: `h' = activation(x_t·kernel + h·recurrentKernel + bias)`
 * (Elman 1990, https://doi.org/10.1207/s15516709cog1402_1).
 *
 * @param x - `[batch, time, features]`.
 * @param params - `kernel` `[features, units]`, `recurrentKernel` `[units, units]`, `bias` `[units]` or `null`.
 * @param options - initial `[h]`, mask, direction, dropout masks, activation.
 * @returns the output (`[batch, units]` or `[batch, time, units]`) and the final `[h]`.
 * @example
 * ```ts
 * const { output } = simpleRnn(x, { kernel, recurrentKernel, bias: null }, { returnSequences: true });
 * ```
 *
 * @group Recurrent
 */
export function simpleRnn(x: tf.Tensor, params: RecurrentParameters, options: SimpleRNNOptions = {}): RecurrentResult {
  const activation = getActivation(options.activation ?? 'tanh');
  const { kernel, recurrentKernel, bias } = params;
  return tidyResult(() => {
    const u = new RecurrentKernel(recurrentKernel);
    const step: RecurrentStep = (projected, _states, h) => [
      activation(tf.add(projected, u.product(h))) as tf.Tensor2D, // (B, U)
    ];
    return recurrentScan(x, kernel, bias, step, [recurrentKernel.shape[0]!], options);
  });
}

/**
 * Fully connected recurrent layer: the output of each step feeds the next
 * (`h' = activation(x_t·kernel + h·recurrentKernel + bias)`), as Keras `SimpleRNN`.
 *
 * Input shape: `[batch, time, features]`.
 * Output shape: `[batch, units]`, or `[batch, time, units]` with `returnSequences`; with
 * `returnState`, `[output, h]`.
 *
 * Parameters: `kernel` `[features, units]`, `recurrentKernel` `[units, units]`, `bias` `[units]`.
 *
 * @example
 * ```ts
 * const rnn = new SimpleRNN({ units: 16, returnSequences: true });
 * const y = rnn.apply(tf.zeros([4, 10, 3])); // [4, 10, 16]
 * ```
 *
 * @group Recurrent
 */
export class SimpleRNN<S extends boolean = false> extends Recurrent<S> {
  constructor(config: SimpleRNNConfig<S>) {
    super(config);
  }

  protected override get gates(): number {
    return 1;
  }

  /** `['h']`: the hidden state. */
  override get stateNames(): readonly string[] {
    return ['h'];
  }

  protected override forward(x: tf.Tensor, params: RecurrentParameters, options: RecurrentRunOptions): RecurrentResult {
    return simpleRnn(x, params, { ...options, activation: this.config.activation });
  }
}

import { tf } from '@tensorloom/core';
import { getActivation } from '../core/activations.js';
import type { ActivationFn, ActivationName } from '../core/activations.js';
import { getInitializer } from '../initializers/initializers.js';
import type { Initializer, InitializerLike } from '../initializers/initializers.js';
import { fusedLstm } from './fused-sequence.js';
import { Recurrent, RecurrentKernel, recurrentScan, splitGates, tidyResult } from './recurrent.js';
import type { RecurrentConfig, RecurrentStep, RecurrentParameters, RecurrentResult, RecurrentRunOptions } from './recurrent.js';

/**
 * Configuration of {@link LSTM}.
 *
 * @example
 * ```ts
 * const config: LSTMConfig = { units: 128, returnSequences: true };
 * ```
 *
 * @group Recurrent
 */
export interface LSTMConfig<S extends boolean = boolean> extends RecurrentConfig<S> {
  /**
   * Activation of the input, forget and output gates. Default `'sigmoid'` (Keras 2+,
   * PyTorch); tfjs-layers defaults to `'hardSigmoid'`, pass it for the old behaviour.
   */
  recurrentActivation?: ActivationName | ActivationFn;
  /**
   * Initialise the forget-gate bias to ones (the rest with `biasInitializer`), as Jozefowicz
   * et al. 2015 recommend (https://proceedings.mlr.press/v37/jozefowicz15.html). Default `true`.
   */
  unitForgetBias?: boolean;
}

/**
 * Options of the functional {@link lstm}.
 *
 * @example
 * ```ts
 * const options: LSTMOptions = { returnSequences: true, recurrentActivation: 'hardSigmoid' };
 * ```
 *
 * @group Recurrent
 */
export interface LSTMOptions extends RecurrentRunOptions {
  /** Activation of the candidate and of the output. Default `'tanh'`. */
  activation?: ActivationName | ActivationFn;
  /** Activation of the gates. Default `'sigmoid'`. */
  recurrentActivation?: ActivationName | ActivationFn;
}

/**
 * The LSTM over a sequence (Hochreiter & Schmidhuber 1997; the forget-gate form of Gers et
 * al. 2000, https://doi.org/10.1162/089976600300015015). Gates in the Keras order
 * `i, f, c, o`:
 *
 * ```
 * [zi, zf, zc, zo] = x_t·kernel + h·recurrentKernel + bias
 * c' = σ(zf)·c + σ(zi)·tanh(zc)        h' = σ(zo)·tanh(c')
 * ```
 *
 * @param x - `[batch, time, features]`.
 * @param params - `kernel` `[features, 4·units]`, `recurrentKernel` `[units, 4·units]`, `bias` `[4·units]` or `null`.
 * @param options - initial `[h, c]`, mask, direction, dropout masks, activations.
 * @returns the output (`[batch, units]` or `[batch, time, units]`) and the final `[h, c]`.
 * @example
 * ```ts
 * const { output, states: [h, c] } = lstm(x, { kernel, recurrentKernel, bias });
 * ```
 *
 * @group Recurrent
 */
export function lstm(x: tf.Tensor, params: RecurrentParameters, options: LSTMOptions = {}): RecurrentResult {
  const fused = fusedLstm(x, params, options, options.activation ?? 'tanh', options.recurrentActivation ?? 'sigmoid');
  if (fused !== null) return fused;
  const activation = getActivation(options.activation ?? 'tanh');
  const gate = getActivation(options.recurrentActivation ?? 'sigmoid');
  const { kernel, recurrentKernel, bias } = params;
  const units = recurrentKernel.shape[0]!;
  return tidyResult(() => {
    const u = new RecurrentKernel(recurrentKernel);
    const step: RecurrentStep = (projected, [, c], h) => {
      const [zi, zf, zc, zo] = splitGates(tf.add(projected, u.product(h)), 4); // (B, 4U) → 4 × (B, U)
      const cNext = tf.add(tf.mul(gate(zf!), c!), tf.mul(gate(zi!), activation(zc!))) as tf.Tensor2D;
      const hNext = tf.mul(gate(zo!), activation(cNext)) as tf.Tensor2D;
      return [hNext, cNext];
    };
    return recurrentScan(x, kernel, bias, step, [units, units], options);
  });
}

/** Ones on the forget-gate quarter of a `[4·units]` bias, `base` elsewhere. */
function unitForgetBiasInitializer(base: InitializerLike): Initializer {
  const init = getInitializer(base);
  return (shape, r) =>
    tf.tidy(() => {
      const units = shape[0]! / 4;
      const b = init(shape, r);
      return tf.concat([tf.slice(b, [0], [units]), tf.ones([units]), tf.slice(b, [2 * units], [2 * units])]);
    });
}

/**
 * Long short-term memory layer (Hochreiter & Schmidhuber 1997,
 * https://doi.org/10.1162/neco.1997.9.8.1735), with the same weight layout as Keras and
 * tfjs-layers, so weights copy across directly.
 *
 * Input shape: `[batch, time, features]`.
 * Output shape: `[batch, units]`, or `[batch, time, units]` with `returnSequences`; with
 * `returnState`, `[output, h, c]` (`h`, `c` `[batch, units]`).
 *
 * Parameters: `kernel` `[features, 4·units]`, `recurrentKernel` `[units, 4·units]`,
 * `bias` `[4·units]` (gates `i, f, c, o` side by side).
 *
 * The input projection of all steps is computed before the loop (one matMul for all gates),
 * and each step runs one recurrent matMul `[batch, units]·[units, 4·units]`. Masks
 * (`apply(x, { mask })`, `[batch, time]`) keep the states over padded steps; initial states
 * come in as `apply(x, { initialState: [h0, c0] })`. See {@link lstm} for the equations.
 *
 * @example
 * ```ts
 * const layer = new LSTM({ units: 128 }).build([null, 28, 28], rng(1));
 * const y = layer.apply(images); // [batch, 128]
 * const [seq, h, c] = new LSTM({ units: 8, returnSequences: true, returnState: true }).apply(x);
 * ```
 *
 * @group Recurrent
 */
export class LSTM<S extends boolean = false> extends Recurrent<S> {
  /** Activation of the gates. */
  readonly recurrentActivation: ActivationName | ActivationFn;
  /** Whether the forget-gate bias starts at one. */
  readonly unitForgetBias: boolean;

  constructor(config: LSTMConfig<S>) {
    super(config);
    getActivation(config.recurrentActivation ?? 'sigmoid', this.label);
    this.recurrentActivation = config.recurrentActivation ?? 'sigmoid';
    this.unitForgetBias = config.unitForgetBias ?? true;
  }

  protected override get gates(): number {
    return 4;
  }

  /** `['h', 'c']`: the hidden state, then the cell (carry) state. */
  override get stateNames(): readonly string[] {
    return ['h', 'c'];
  }

  protected override biasInitializer(): InitializerLike {
    return this.unitForgetBias ? unitForgetBiasInitializer(this.config.biasInitializer) : this.config.biasInitializer;
  }

  protected override forward(x: tf.Tensor, params: RecurrentParameters, options: RecurrentRunOptions): RecurrentResult {
    return lstm(x, params, { ...options, activation: this.config.activation, recurrentActivation: this.recurrentActivation });
  }
}

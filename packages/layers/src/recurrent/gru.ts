import { tf } from '@tensorloom/core';
import { getActivation } from '../core/activations.js';
import type { ActivationFn, ActivationName } from '../core/activations.js';
import { fusedGru } from './fused-sequence.js';
import { Recurrent, RecurrentKernel, recurrentScan, splitGates, tidyResult } from './recurrent.js';
import type { RecurrentConfig, RecurrentStep, RecurrentParameters, RecurrentResult, RecurrentRunOptions } from './recurrent.js';

/**
 * Configuration of {@link GRU}.
 *
 * @example
 * ```ts
 * const config: GRUConfig = { units: 64, resetAfter: true };
 * ```
 *
 * @group Recurrent
 */
export interface GRUConfig<S extends boolean = boolean> extends RecurrentConfig<S> {
  /**
   * Activation of the update and reset gates. Default `'sigmoid'` (Keras 2+, PyTorch);
   * tfjs-layers defaults to `'hardSigmoid'`, pass it for the old behaviour.
   */
  recurrentActivation?: ActivationName | ActivationFn;
  /**
   * Apply the reset gate after the recurrent product (`r ⊙ (h·U_h + b_h)`, the cuDNN and
   * PyTorch form, Keras 2's default; bias `[2, 3·units]`: input bias row, recurrent bias row)
   * instead of before it (`(r ⊙ h)·U_h`, Cho et al. 2014; bias `[3·units]`). Default `false`:
   * tfjs-layers 4.22 supports only that form, so weights copy across directly.
   */
  resetAfter?: boolean;
}

/**
 * Options of the functional {@link gru}.
 *
 * @example
 * ```ts
 * const options: GRUOptions = { resetAfter: true, returnSequences: true };
 * ```
 *
 * @group Recurrent
 */
export interface GRUOptions extends RecurrentRunOptions {
  /** Activation of the candidate state. Default `'tanh'`. */
  activation?: ActivationName | ActivationFn;
  /** Activation of the gates. Default `'sigmoid'`. */
  recurrentActivation?: ActivationName | ActivationFn;
  /** Reset gate after the recurrent product; the bias is then `[2, 3·units]`. Default `false`. */
  resetAfter?: boolean;
}

/**
 * The GRU over a sequence (Cho et al. 2014, https://arxiv.org/abs/1406.1078), gates in the
 * Keras order `z, r, h`:
 *
 * ```
 * z = σ(x·Wz + h·Uz + bz)    r = σ(x·Wr + h·Ur + br)
 * ĥ = tanh(x·Wh + (r ⊙ h)·Uh + bh)            (resetAfter: tanh(x·Wh + bh + r ⊙ (h·Uh + b'h)))
 * h' = z ⊙ h + (1 − z) ⊙ ĥ
 * ```
 *
 * @param x - `[batch, time, features]`.
 * @param params - `kernel` `[features, 3·units]`, `recurrentKernel` `[units, 3·units]`,
 *   `bias` `[3·units]` (`[2, 3·units]` with `resetAfter`) or `null`.
 * @param options - initial `[h]`, mask, direction, dropout masks, activations, `resetAfter`.
 * @returns the output (`[batch, units]` or `[batch, time, units]`) and the final `[h]`.
 * @example
 * ```ts
 * const { output } = gru(x, { kernel, recurrentKernel, bias }, { returnSequences: true });
 * ```
 *
 * @group Recurrent
 */
export function gru(x: tf.Tensor, params: RecurrentParameters, options: GRUOptions = {}): RecurrentResult {
  const fused = fusedGru(x, params, options, options.activation ?? 'tanh', options.recurrentActivation ?? 'sigmoid');
  if (fused !== null) return fused;
  const activation = getActivation(options.activation ?? 'tanh');
  const gate = getActivation(options.recurrentActivation ?? 'sigmoid');
  const { kernel, recurrentKernel, bias } = params;
  const units = recurrentKernel.shape[0]!;
  return tidyResult(() => {
    const blend = (z: tf.Tensor, h: tf.Tensor, candidate: tf.Tensor): tf.Tensor2D =>
      tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), candidate)) as tf.Tensor2D; // z⊙h + (1−z)⊙ĥ
    if (options.resetAfter) {
      // Every gate multiplies h, so one product over the whole recurrent kernel; bias rows
      // [input, recurrent], the recurrent bias of the candidate inside r ⊙ (h·Uh + b'h).
      const [inputBias, recurrentBias] = bias === null ? [null, null] : tf.unstack(bias); // (3U), (3U)
      const u = new RecurrentKernel(recurrentKernel);
      const step: RecurrentStep = (projected, [h], hIn) => {
        const product = u.product(hIn); // (B, 3U)
        const [xz, xr, xh] = splitGates(projected, 3); // 3 × (B, U)
        const [hz, hr, hh] = splitGates(recurrentBias ? (tf.add(product, recurrentBias) as tf.Tensor2D) : product, 3); // 3 × (B, U)
        const z = gate(tf.add(xz!, hz!));
        const r = gate(tf.add(xr!, hr!));
        return [blend(z, h!, activation(tf.add(xh!, tf.mul(r, hh!))))];
      };
      return recurrentScan(x, kernel, inputBias ?? null, step, [units], options);
    }
    // Reset before the product: z and r multiply h (one product over their kernel columns),
    // the candidate multiplies r⊙h (a second product, which needs r first).
    const [uzr, uh] = tf.split(recurrentKernel, [2 * units, units], 1).map((block) => new RecurrentKernel(block)); // (U, 2U), (U, U)
    const step: RecurrentStep = (projected, [h], hIn) => {
      const [xz, xr, xh] = splitGates(projected, 3); // 3 × (B, U)
      const [hz, hr] = splitGates(uzr!.product(hIn), 2); // 2 × (B, U)
      const z = gate(tf.add(xz!, hz!));
      const r = gate(tf.add(xr!, hr!));
      return [blend(z, h!, activation(tf.add(xh!, uh!.product(tf.mul(r, hIn) as tf.Tensor2D))))];
    };
    return recurrentScan(x, kernel, bias, step, [units], options);
  });
}

/**
 * Gated recurrent unit layer (Cho et al. 2014, https://arxiv.org/abs/1406.1078), with the
 * weight layout of Keras and tfjs-layers.
 *
 * Input shape: `[batch, time, features]`.
 * Output shape: `[batch, units]`, or `[batch, time, units]` with `returnSequences`; with
 * `returnState`, `[output, h]`.
 *
 * Parameters: `kernel` `[features, 3·units]`, `recurrentKernel` `[units, 3·units]` (gates
 * `z, r, h`), `bias` `[3·units]`, or `[2, 3·units]` with `resetAfter` (input bias, then
 * recurrent bias: the Keras 2 / cuDNN layout).
 *
 * `resetAfter` defaults to `false` because tfjs-layers 4.22 has only that form, so weights
 * copy across directly; Keras 2 defaults to `true`, and PyTorch's GRU is that form: set it
 * to load their weights. See {@link gru}.
 *
 * @example
 * ```ts
 * const layer = new GRU({ units: 32, returnSequences: true });
 * const y = layer.apply(tf.zeros([2, 7, 5])); // [2, 7, 32]
 * ```
 *
 * @group Recurrent
 */
export class GRU<S extends boolean = false> extends Recurrent<S> {
  /** Activation of the gates. */
  readonly recurrentActivation: ActivationName | ActivationFn;
  /** Whether the reset gate applies after the recurrent product. */
  readonly resetAfter: boolean;

  constructor(config: GRUConfig<S>) {
    super(config);
    getActivation(config.recurrentActivation ?? 'sigmoid', this.label);
    this.recurrentActivation = config.recurrentActivation ?? 'sigmoid';
    this.resetAfter = config.resetAfter ?? false;
  }

  protected override get gates(): number {
    return 3;
  }

  /** `['h']`: the hidden state. */
  override get stateNames(): readonly string[] {
    return ['h'];
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.config.units] : [3 * this.config.units];
  }

  protected override forward(x: tf.Tensor, params: RecurrentParameters, options: RecurrentRunOptions): RecurrentResult {
    return gru(x, params, {
      ...options,
      activation: this.config.activation,
      recurrentActivation: this.recurrentActivation,
      resetAfter: this.resetAfter,
    });
  }
}

// The contract of the fused whole-sequence LSTM and GRU kernels: kernel names, inputs,
// outputs and attributes, and the ops that run them with their gradient. A backend that
// registers both kernels of a cell (forward and backward) runs a whole sequence in two calls
// (one per direction of the pass); a library checks `hasKernel` and keeps its general path
// for every other backend. Nothing here computes: the arithmetic is the backend's.
import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../errors.js';
import { hasKernel } from './has-kernel.js';

/**
 * Kernel name of the fused LSTM forward over a whole sequence.
 *
 * Inputs: `x` `[batch, time, features]`, `kernel` `[features, 4·units]`, `recurrentKernel`
 * `[units, 4·units]`, `bias` `[4·units]` (zeros for a layer without one), `h0` and `c0`
 * `[batch, units]`, and `mask` `[batch, time]` float32 (non-zero: the step is valid; a masked
 * step keeps `h` and `c`), read only when the attribute `masked` is true. Gates in the Keras order `i, f, c, o`, with
 * sigmoid gates and tanh for the candidate and the output.
 *
 * Attributes: {@link FusedRecurrentAttrs} (`goBackwards`, `masked`).
 *
 * Outputs, all in processing order (reversed in time with `goBackwards`): `h` `[batch, time,
 * units]` after each step, `c` `[batch, time, units]` after each step, and `gates` `[batch,
 * time, 4·units]`, the activations `σ(zi), σ(zf), tanh(zc), σ(zo)` of each step, which
 * the backward kernel reads.
 *
 * @example
 * ```ts
 * import { hasKernel, FusedLstmSequence } from '@tensorloom/core';
 * console.log(hasKernel(FusedLstmSequence)); // true on 'native'
 * ```
 *
 * @group Fused kernels
 */
export const FusedLstmSequence = 'TensorloomFusedLstmSequence';

/**
 * Kernel name of the fused LSTM backward (backpropagation through the whole sequence).
 *
 * Inputs: those of {@link FusedLstmSequence} (`x`, `kernel`, `recurrentKernel`, `bias`, `h0`,
 * `c0`, `mask`), its outputs `h`, `c`, `gates`, and the gradients `dh` and `dc`
 * `[batch, time, units]` of its `h` and `c` outputs (zeros where nothing flows back).
 * Attributes: as the forward's.
 *
 * Outputs: `dx`, `dKernel`, `dRecurrentKernel`, `dBias`, `dh0`, `dc0`, each of the shape of
 * its input.
 *
 * @example
 * ```ts
 * import { hasKernel, FusedLstmSequenceGrad } from '@tensorloom/core';
 * console.log(hasKernel(FusedLstmSequenceGrad));
 * ```
 *
 * @group Fused kernels
 */
export const FusedLstmSequenceGrad = 'TensorloomFusedLstmSequenceGrad';

/**
 * Kernel name of the fused GRU forward over a whole sequence (gates in the Keras order
 * `z, r, h`; sigmoid gates, tanh candidate; `h' = z·h + (1 − z)·ĥ`).
 *
 * Inputs: `x` `[batch, time, features]`, `kernel` `[features, 3·units]`, `recurrentKernel`
 * `[units, 3·units]`, `bias` `[3·units]`, or `[2, 3·units]` (input row, recurrent row) with
 * `resetAfter` (zeros for a layer without one), `h0` `[batch, units]`, `mask` `[batch,
 * time]` float32 (read when `masked`).
 *
 * Attributes: {@link FusedRecurrentAttrs} (`goBackwards`, `masked`, `resetAfter`).
 *
 * Outputs, in processing order: `h` `[batch, time, units]` after each step, and `gates`
 * `[batch, time, 3·units]` (`z, r, ĥ`), with `resetAfter` `[batch, time, 4·units]` (`z, r,
 * ĥ` and the recurrent candidate term `h·Uh + b'h`), which the backward kernel reads.
 *
 * @example
 * ```ts
 * import { hasKernel, FusedGruSequence } from '@tensorloom/core';
 * console.log(hasKernel(FusedGruSequence));
 * ```
 *
 * @group Fused kernels
 */
export const FusedGruSequence = 'TensorloomFusedGruSequence';

/**
 * Kernel name of the fused GRU backward. Inputs: those of {@link FusedGruSequence}, its outputs
 * `h` and `gates`, and `dh` `[batch, time, units]`. Attributes: as the forward's. Outputs:
 * `dx`, `dKernel`, `dRecurrentKernel`, `dBias`, `dh0`.
 *
 * @example
 * ```ts
 * import { hasKernel, FusedGruSequenceGrad } from '@tensorloom/core';
 * console.log(hasKernel(FusedGruSequenceGrad));
 * ```
 *
 * @group Fused kernels
 */
export const FusedGruSequenceGrad = 'TensorloomFusedGruSequenceGrad';

/**
 * The attributes of the fused recurrent kernels.
 *
 * @example
 * ```ts
 * const attrs: FusedRecurrentAttrs = { goBackwards: true, masked: false, resetAfter: false };
 * ```
 *
 * @group Fused kernels
 */
export interface FusedRecurrentAttrs {
  /** Process the steps from last to first; outputs come in processing order. */
  goBackwards: boolean;
  /**
   * Whether the `mask` input is read. The input is always there (tfjs saves a kernel's
   * inputs for its gradient by name), so a call without a mask passes any `[batch, time]`
   * tensor and `masked: false`, and the kernel skips the masking.
   */
  masked: boolean;
  /** GRU only: the reset gate applies after the recurrent product (bias `[2, 3·units]`). */
  resetAfter?: boolean;
}

/**
 * Options of {@link lstmSequence} and {@link gruSequence}.
 *
 * @example
 * ```ts
 * const options: FusedSequenceOptions = { goBackwards: true, mask };
 * ```
 *
 * @group Fused kernels
 */
export interface FusedSequenceOptions {
  /** `[batch, time]`, non-zero (true) where a step is valid. Default: every step valid. */
  mask?: tf.Tensor | null;
  /** Process the steps from last to first. Default `false`. */
  goBackwards?: boolean;
}

/** The mask input and the `masked` attribute for a call with or without a mask. */
function maskInput(x: tf.Tensor, mask: tf.Tensor | null | undefined): { mask: tf.Tensor; masked: boolean } {
  if (mask) return { mask: mask.dtype === 'float32' ? mask : tf.cast(mask, 'float32'), masked: true };
  return { mask: tf.ones(x.shape.slice(0, 2)), masked: false };
}

const LSTM_INPUTS = ['x', 'kernel', 'recurrentKernel', 'bias', 'h0', 'c0'] as const;
const GRU_INPUTS = ['x', 'kernel', 'recurrentKernel', 'bias', 'h0'] as const;

/** The gradient of one fused forward kernel: one call of its backward kernel. */
function sequenceGradient(
  kernelName: string,
  gradName: string,
  inputNames: readonly string[],
  differentiable: number,
  outputsToSave: boolean[],
): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: [...inputNames, 'mask'],
    outputsToSave,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
      // tfjs hands zeros for an output nothing flows back from.
      const dys = dy as tf.Tensor[];
      const inputs: tf.NamedTensorMap = {};
      inputNames.forEach((name, i) => (inputs[name] = saved[i]!));
      inputs.mask = saved[inputNames.length]!;
      const outputs = saved.slice(inputNames.length + 1);
      const outputNames = kernelName === FusedLstmSequence ? ['h', 'c', 'gates'] : ['h', 'gates'];
      outputNames.forEach((name, i) => (inputs[name] = outputs[i]!));
      inputs.dh = dys[0]!;
      if (differentiable === 2) inputs.dc = dys[1]!;
      const grads = tf.engine().runKernel(gradName, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const map: Record<string, () => tf.Tensor> = {};
      inputNames.forEach((name, i) => (map[name] = () => grads[i]!));
      map.mask = () => tf.zerosLike(inputs.mask!);
      return map;
    },
  };
}

tf.registerGradient(sequenceGradient(FusedLstmSequence, FusedLstmSequenceGrad, LSTM_INPUTS, 2, [true, true, true]));
tf.registerGradient(sequenceGradient(FusedGruSequence, FusedGruSequenceGrad, GRU_INPUTS, 1, [true, true]));

function checkBackend(op: string, kernels: readonly string[]): void {
  const missing = kernels.filter((k) => !hasKernel(k));
  if (missing.length > 0) {
    throw new BackendError(`${op}: kernels ${kernels.join(', ')} expected registered for backend '${tf.getBackend()}', got none for ${missing.join(', ')}`, {
      help: "check hasKernel(...) first and take the general path; '@tensorloom/backend-native' registers them",
    });
  }
}

/**
 * Runs an LSTM over a whole sequence as one {@link FusedLstmSequence} kernel call, differentiable:
 * its gradient is one {@link FusedLstmSequenceGrad} call. Only on a backend that has both
 * kernels (see {@link hasKernel}).
 *
 * @param x - `[batch, time, features]` float32.
 * @param kernel - `[features, 4·units]`.
 * @param recurrentKernel - `[units, 4·units]`.
 * @param bias - `[4·units]`.
 * @param h0 - `[batch, units]`.
 * @param c0 - `[batch, units]`.
 * @param options - mask and direction.
 * @returns `h` and `c` after each step `[batch, time, units]`, in processing order.
 * @throws BackendError when the active backend lacks either kernel.
 * @example
 * ```ts
 * const { h, c } = lstmSequence(x, kernel, recurrentKernel, bias, h0, c0, { goBackwards: true });
 * ```
 *
 * @group Fused kernels
 */
export function lstmSequence(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
  options: FusedSequenceOptions = {},
): {
  /** `[batch, time, units]`: the hidden state after each step, in processing order. */
  h: tf.Tensor3D;
  /** `[batch, time, units]`: the cell state after each step, in processing order. */
  c: tf.Tensor3D;
} {
  checkBackend('lstmSequence', [FusedLstmSequence, FusedLstmSequenceGrad]);
  const { mask, masked } = maskInput(x, options.mask);
  const attrs: FusedRecurrentAttrs = { goBackwards: options.goBackwards ?? false, masked };
  const [h, c, gates] = tf.engine().runKernel(FusedLstmSequence, { x, kernel, recurrentKernel, bias, h0, c0, mask }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D[];
  // The tape keeps its own references (clones) of what the gradient reads.
  gates!.dispose();
  if (mask !== options.mask) mask.dispose();
  return { h: h!, c: c! };
}

/**
 * Runs a GRU over a whole sequence as one {@link FusedGruSequence} kernel call, differentiable:
 * its gradient is one {@link FusedGruSequenceGrad} call.
 *
 * @param x - `[batch, time, features]` float32.
 * @param kernel - `[features, 3·units]`.
 * @param recurrentKernel - `[units, 3·units]`.
 * @param bias - `[3·units]`, or `[2, 3·units]` with `resetAfter`.
 * @param h0 - `[batch, units]`.
 * @param options - mask, direction and `resetAfter` (default `false`).
 * @returns `h` after each step `[batch, time, units]`, in processing order.
 * @throws BackendError when the active backend lacks either kernel.
 * @example
 * ```ts
 * const h = gruSequence(x, kernel, recurrentKernel, bias, h0, { resetAfter: true });
 * ```
 *
 * @group Fused kernels
 */
export function gruSequence(
  x: tf.Tensor,
  kernel: tf.Tensor,
  recurrentKernel: tf.Tensor,
  bias: tf.Tensor,
  h0: tf.Tensor,
  options: FusedSequenceOptions & { resetAfter?: boolean } = {},
): tf.Tensor3D {
  checkBackend('gruSequence', [FusedGruSequence, FusedGruSequenceGrad]);
  const { mask, masked } = maskInput(x, options.mask);
  const attrs: FusedRecurrentAttrs = { goBackwards: options.goBackwards ?? false, masked, resetAfter: options.resetAfter ?? false };
  const [h, gates] = tf.engine().runKernel(FusedGruSequence, { x, kernel, recurrentKernel, bias, h0, mask }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor3D[];
  gates!.dispose();
  if (mask !== options.mask) mask.dispose();
  return h!;
}
